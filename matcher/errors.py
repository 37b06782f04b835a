"""Every error the engine raises on purpose lives here.

Callers (CLI, API) catch :class:`MatcherError` and show ``str(err)``; the
messages are written for the person who made the file or the request, and
tests assert them word for word.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


class Invalid(ValueError):
    """A value a field cannot take: a catalogue message id and its parameters.

    ``str()`` is the English text (CLI, logs); pages and reports render it in their language.
    """

    def __init__(self, msgid: str, **params: Any) -> None:
        from matcher import i18n

        self.msgid, self.params = msgid, params
        super().__init__(i18n.msg("en", msgid, **params))


class MatcherError(Exception):
    """Base class: anything the user can fix by changing input or config."""


class InputError(MatcherError):
    """Input that cannot be used as given."""


class FileFormatError(InputError):
    """A whole file cannot be read (missing, empty, wrong encoding, unknown type)."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field of one record.

    ``row`` is the spreadsheet row number (header = 1) for CSV/XLSX and the
    1-based record number for JSON/JSONL, so people can find it in the file.
    """

    field: str
    message: str
    row: int | None = None
    file: str | None = None
    msgid: str = dataclasses.field(default="", compare=False)  # catalogue id of ``message``, when it has one
    params: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False)

    def text(self, locale: str | None) -> str:
        """``message`` in ``locale`` (as written when it has no catalogue id)."""
        if not self.msgid:
            return self.message
        from matcher import i18n

        return i18n.msg(locale, self.msgid, **self.params)

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        prefix = ", ".join(where) + ": " if where else ""
        field = f"field '{self.field}': " if self.field else ""
        return f"{prefix}{field}{self.message}"


class RecordError(InputError):
    """One record (a supplier row, a request) is invalid; lists every problem."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        if not problems:
            raise ValueError("RecordError needs at least one problem")
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class ImportRejected(InputError):
    """A strict import found invalid rows and wrote nothing."""

    def __init__(self, file: str, problems: list[FieldProblem]) -> None:
        self.file = file
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(
            f"{file}: {len(problems)} problem(s); nothing was imported (strict mode)\n{lines}"
        )


class NotFoundError(MatcherError):
    """A supplier, request or profile id that does not exist."""

    def __init__(self, kind: str, ident: str, known: str | None = None) -> None:
        self.kind = kind
        self.ident = ident
        super().__init__(f"{kind} '{ident}' not found" + (f" ({kind}s: {known})" if known is not None else ""))


class ConfigError(MatcherError):
    """Bad configuration: unknown profile, unknown embedder, unreadable model."""


class ConflictError(MatcherError):
    """The action conflicts with what is stored: a duplicate meeting request, one already answered."""


class ForbiddenError(MatcherError):
    """The caller may see the record but not do this to it (answering a request it sent itself)."""
