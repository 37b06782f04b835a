"""Column headings as officers write them: English, French or Arabic names for contract fields.

``Identifiant``, ``Nom de l'atelier``, ``Capacité mensuelle``, ``Délai (jours)`` and ``الطاقة الشهرية``
are read as ``supplier_id``, ``name``, ``monthly_capacity``, ``lead_time_days`` and
``monthly_capacity`` (aliases: matcher/vocabularies/columns.json, compared after folding). A heading
that is no field and no alias but looks like one (``max_price``, ``monthly_capacty``) is refused
with a "did you mean", since keeping it as an extra column would silently lose what it says; a
heading starting with ``note`` is always kept as an extra column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from matcher import i18n
from matcher.errors import FileFormatError
from matcher.schema import MODELS, Kind
from matcher.textnorm import fold

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "supplier": ("supplier_id", "name", "country", "description", "products", "monthly_capacity", "lead_time_days"),
    "request": ("buyer_name", "description"),
}
REJECTS_COLUMN = "import_errors"  # added by a rejects file (matcher.io.rejects); ignored when read back
NOTE_PREFIXES = ("note", "notes", "remarque", "remarques", "ملاحظة", "ملاحظات")
LOOKS_LIKE = 85  # rapidfuzz ratio (0-100) from which a heading reads as a misspelt field or alias
WORD_EDITS = 1  # a word of a heading may differ from a field's word by this many edits (words of 5+ letters)


@dataclass
class Columns:
    """How a header was read: per column its field (None for an extra or empty column)."""

    fields: list[str | None]
    extras: list[str]  # extra columns, as written (kept in ``extra``)
    renamed: dict[str, str] = field(default_factory=dict)  # heading as written -> field (aliases only)
    ignored: list[int] = field(default_factory=list)  # positions of a rejects file's error column


@cache
def aliases(kind: Kind) -> dict[str, str]:
    """Folded heading -> field, for the fields of ``kind`` and their aliases."""
    text = resources.files("matcher.vocabularies").joinpath("columns.json").read_text("utf-8")
    table: dict[str, list[str]] = json.loads(text)[kind]
    out = {fold(name): name for name in known_fields(kind)}
    for name, spellings in table.items():
        for spelling in spellings:
            out.setdefault(fold(spelling), name)
    return out


def known_fields(kind: Kind) -> list[str]:
    return [f for f in MODELS[kind].model_fields if f != "extra"]


def _words_close(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 5 and OSA.distance(a, b) <= WORD_EDITS)


def looks_like(heading: str, kind: Kind) -> list[str]:
    """Fields ``heading`` (folded) may stand for, best first: a misspelling of a field or alias, or
    every word of it found in one ("max price" in "max unit price eur")."""
    words = heading.split()
    scores: dict[str, float] = {}
    for spelling, name in aliases(kind).items():
        score = fuzz.ratio(heading, spelling)
        target = spelling.split()
        if words and all(any(_words_close(w, t) for t in target) for w in words):
            score = max(score, 90 + 10 * len(words) / len(target))
        if score >= LOOKS_LIKE and score > scores.get(name, 0):
            scores[name] = score
    return sorted(scores, key=lambda n: (-scores[n], n))[:3]


def read_header(file: str, kind: Kind, header: list[object]) -> Columns:
    """The fields of ``header``'s columns; FileFormatError names every heading problem at once."""
    written = [str(h).strip() if h is not None else "" for h in header]
    if not any(written):
        raise FileFormatError(file, i18n.msg("en", "import.no_header"))
    table = aliases(kind)
    cols = Columns(fields=[], extras=[])
    problems: list[str] = []
    where: dict[str, str] = {}
    for pos, text in enumerate(written):
        folded = fold(text)
        name = table.get(folded) if folded else None
        if text == REJECTS_COLUMN:
            cols.ignored.append(pos)
        elif name is None and folded and folded.split()[0] not in {fold(p) for p in NOTE_PREFIXES}:
            guesses = looks_like(folded, kind)
            if guesses:
                problems.append(i18n.msg("en", "import.column_looks_like", column=text,
                                         fields=" or ".join(f"'{g}'" for g in guesses)))
        if name is not None and name in where:
            same = where[name]
            problems.append(i18n.msg("en", "import.column_twice", column=text, field=name) if same == text
                            else i18n.msg("en", "import.columns_same_field", first=same, second=text, field=name))
        if name is not None:
            where[name] = text
            if text != name:
                cols.renamed[text] = name
        elif folded and pos not in cols.ignored:
            cols.extras.append(text)
        cols.fields.append(name)
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in where]
    if missing:
        hints = ", ".join(_with_alias(kind, c) for c in missing)
        problems.append(i18n.msg("en", "import.missing_columns", columns=hints))
    if problems:
        raise FileFormatError(file, "; ".join(problems))
    return cols


def _with_alias(kind: Kind, name: str) -> str:
    """``name`` and the first heading accepted for it in another language ("lead_time_days (or 'délai (jours)')")."""
    text = resources.files("matcher.vocabularies").joinpath("columns.json").read_text("utf-8")
    spellings = json.loads(text)[kind].get(name, [])
    return f"{name} (or '{spellings[0]}')" if spellings else name
