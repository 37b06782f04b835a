"""What an import read, corrected or noticed, reported once per kind with the rows it concerns.

A certification written ``WTFO`` on forty rows is one note with its forty rows, not forty
warnings. Notes come from the cell readers (matcher.io.cellfix), the vocabulary (an unknown or
corrected certification or practice, read as the engine reads it: matcher.understanding.terms)
and the duplicate finder (matcher.io.duplicates).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from matcher import i18n, vocab
from matcher.io.cellfix import Note
from matcher.io.duplicates import Duplicate
from matcher.schema import BuyerRequest, Supplier
from matcher.understanding.terms import terms

SHOWN_ROWS = 8  # rows listed in a note's text; the rest are counted

TERM_FIELDS = {
    "supplier": [("certifications", "certifications", "certification"),
                 ("sustainability", "sustainability", "practice")],
    "request": [("required_certifications", "certifications", "certification"),
                ("preferred_certifications", "certifications", "certification"),
                ("sustainability", "sustainability", "practice")],
}


class ReportedProblem(BaseModel):
    """One problem or note as an import report shows it: its rows, field, message and full text."""

    row: int | None
    rows: list[int] = Field(default_factory=list, description="every row it concerns (a note may cover many)")
    field: str
    message: str
    text: str
    msgid: str = ""
    params: dict[str, Any] = Field(default_factory=dict)

    def __str__(self) -> str:
        return self.text

    def localized(self, locale: str | None) -> str:
        """``text`` with its message in ``locale`` (where the rows and field stay as written)."""
        if not self.msgid or not i18n.has(self.msgid):
            return self.text
        return self.text[: len(self.text) - len(self.message)] + i18n.msg(locale, self.msgid, **self.params)


def rows_text(rows: list[int]) -> str:
    """'row 4', 'rows 2, 3, 9', 'rows 2, 3, 4, 5, 6, 7, 8, 9 and 12 more'."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(r) for r in rows[:SHOWN_ROWS])
    return f"rows {shown}" + (f" and {len(rows) - SHOWN_ROWS} more" if len(rows) > SHOWN_ROWS else "")


def reported(file: str, field: str, msgid: str, params: dict[str, Any], rows: list[int]) -> ReportedProblem:
    message = i18n.msg("en", msgid, **params)
    where = ", ".join([file, rows_text(rows)] if rows else [file])
    text = f"{where}: " + (f"field '{field}': " if field else "") + message
    return ReportedProblem(row=rows[0] if rows else None, rows=rows, field=field, message=message, text=text,
                           msgid=msgid, params=params)


class Notes:
    """Notes gathered over a file, each kept once with the rows it concerns (in first-seen order)."""

    def __init__(self) -> None:
        self.found: dict[tuple[Any, ...], tuple[Note, list[int]]] = {}

    def add(self, note: Note, row: int) -> None:
        _, rows = self.found.setdefault(note.key, (note, []))
        if row not in rows:
            rows.append(row)

    def terms_of(self, model: Supplier | BuyerRequest, kind: str, row: int) -> None:
        """Unknown or corrected certifications and practices of one record."""
        for fname, vname, noun in TERM_FIELDS[kind]:
            for label in getattr(model, fname):
                r = terms(vname).resolve(label)
                v = vocab.load(vname)
                if r.status == "corrected":
                    read = ", ".join(v.label(i, "en") for i in r.ids)
                    self.add(Note(fname, "import.term_corrected", {"label": label, "read": read},
                                  (fname, "term", label)), row)
                elif r.status == "unknown":
                    names = ", ".join(v.label(i, "en") for i in r.suggestions)
                    msgid = f"import.unknown_{noun}" + ("_suggest" if names else "")
                    params = {"label": label, **({"suggestions": names} if names else {})}
                    self.add(Note(fname, msgid, params, (fname, "term", label)), row)

    def duplicate(self, d: Duplicate, field: str) -> None:
        params: dict[str, Any] = {"name": d.name, "ident": d.ident, "other": d.other_name, "existing": d.other_id,
                                  "similarity": d.similarity}
        msgid = "import.likely_duplicate"
        if d.other_row is not None:
            msgid, params["other_row"] = "import.likely_duplicate_row", d.other_row
        self.add(Note(field, msgid, params, ("duplicate", str(d.row))), d.row)

    def reported(self, file: str) -> list[ReportedProblem]:
        return [reported(file, note.field, note.msgid, note.params, sorted(rows)) for note, rows in self.found.values()]
