"""Sheet cells as officers fill them, read into what the contract takes, saying what was read.

- country names in any shipped language (``Algérie``, ``Algeria``, ``الجزائر``) become ISO codes
  (Babel's territory names, matcher.i18n's locales);
- numbers with units (``1 200 pièces/mois``, ``6 semaines``, ``12,5 €``, ``3 000 DA``) are read with
  the request reader's own parsers (matcher.understanding.numbers), only when they cover the whole cell;
- a date cell (a spreadsheet turned ``14/1`` into a date) in a field that takes no date is refused
  with what it holds and how to avoid it.

Every change is a :class:`Note` (message id and parameters) the importer reports once per kind, with
the rows it concerns; cells that read as they are stay untouched.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from matcher import i18n
from matcher.cells import country_codes, is_blank, parse_float, parse_int, split_list
from matcher.errors import FieldProblem, Invalid
from matcher.explain import number
from matcher.textnorm import fold
from matcher.understanding.numbers import lead_times, prices, quantities
from matcher.understanding.tokens import ascii_digits

COUNTRY_FIELDS = ("country", "buyer_country", "export_markets", "preferred_countries")
LIST_COUNTRY_FIELDS = ("export_markets", "preferred_countries")
DAY_FIELDS = ("lead_time_days", "max_lead_time_days")
COUNT_FIELDS = ("monthly_capacity", "min_order_qty", "quantity", "employees")
PRICE_FIELDS = ("price_min_eur", "price_max_eur", "max_unit_price_eur")
LEAD_CUE = "sous "  # lead_times() reads a duration after a cue word; a lead-time cell is one by its column


@dataclass(frozen=True)
class Note:
    """One reading the importer made or refused: reported once per ``key``, with its rows."""

    field: str
    msgid: str
    params: dict[str, Any]
    key: tuple[str, ...]

    def text(self, locale: str | None = "en") -> str:
        return i18n.msg(locale, self.msgid, **self.params)


@cache
def country_names() -> dict[str, str]:
    """Folded country name in every shipped locale (and English) -> ISO 3166-1 alpha-2 code."""
    from babel import Locale

    codes, out = country_codes(), dict[str, str]()
    for loc in i18n.locales():
        for code, name in Locale.parse(loc).territories.items():
            if code in codes:
                out.setdefault(fold(name), code)
    return out


def _country(value: str, field: str) -> tuple[str, Note | None]:
    text = value.strip()
    if text.upper() in country_codes():
        return text, None
    code = country_names().get(fold(text))
    if code is None:
        return text, None  # the contract's own message says it is no code
    return code, Note(field, "import.country_name", {"value": text, "code": code}, (field, "country", text))


def _country_items(value: str) -> list[str]:
    """List items; 'France, Belgique' too (a sheet separated by ';' pushes officers to ','), when every
    part is a country."""
    items = split_list(value)
    if len(items) == 1 and "," in value:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if all(p.upper() in country_codes() or fold(p) in country_names() for p in parts):
            return parts
    return items


def _unit(value: str) -> str:
    """What a cell holds besides its number: '1 200 pièces/mois' -> 'pièces/mois'."""
    return re.sub(r"\s+", " ", re.sub(r"\d+(?:[\s\u00a0\u202f.,]\d+)*", " ", ascii_digits(value))).strip()


def _whole(reading_end: int, text: str) -> bool:
    return not text[reading_end:].strip(" .")


def _count(value: str, field: str) -> tuple[Any, Note | None]:
    found = quantities(value)
    if len(found) == 1 and found[0].start == 0 and _whole(found[0].end, ascii_digits(value).lower()):
        n, unit = found[0].value, _unit(value)
        return n, Note(field, "import.unit_removed", {"unit": unit, "value": value, "read": number(n)},
                       (field, "unit", unit))
    return value, None


def _days(value: str, field: str) -> tuple[Any, Note | None]:
    found = lead_times(LEAD_CUE + value)
    if len(found) == 1 and _whole(found[0].end, LEAD_CUE + value):
        days, unit = found[0].value, _unit(value)
        params = {"unit": unit, "value": value, "days": days}
        return days, Note(field, "import.days_read", params, (field, "days", unit))
    return value, None


def _price(value: str, field: str) -> tuple[Any, Note | None]:
    found, _ = prices(value)
    if len(found) != 1 or found[0].start != 0 or not _whole(found[0].end, value):
        return value, None
    r = found[0]
    if not r.detail:
        unit = _unit(value)
        return r.value, Note(field, "import.unit_removed", {"unit": unit, "value": value, "read": f"{r.value:g}"},
                             (field, "unit", unit))
    params = {"code": r.detail["code"], "as_of": r.detail["as_of"], "value": value, "eur": f"{r.value:g}"}
    return r.value, Note(field, "import.price_converted", params, (field, "currency", r.detail["code"]))


def _needs_reading(field: str, value: Any) -> bool:
    """A text cell the contract's own parser refuses."""
    parse = parse_float if field in PRICE_FIELDS else parse_int
    try:
        parse(value)
        return False
    except Invalid:
        return True


def _date_problem(field: str, value: Any) -> FieldProblem:
    shown = value.isoformat()[:10] if isinstance(value, (dt.date, dt.datetime)) else str(value)
    params = {"value": shown}
    return FieldProblem(field, i18n.msg("en", "import.date_cell", **params), None, None, "import.date_cell", params)


def fix_record(record: dict[str, Any]) -> tuple[dict[str, Any], list[Note], list[FieldProblem]]:
    """The record with every cell read as the contract takes it, what was read, and date cells refused."""
    out, notes, problems = dict(record), [], []
    for field, value in record.items():
        if isinstance(value, (dt.date, dt.datetime, dt.time)):
            problems.append(_date_problem(field, value))
            del out[field]
            continue
        if not isinstance(value, str) or is_blank(value):
            continue
        note: Note | None = None
        if field in LIST_COUNTRY_FIELDS:
            read = [_country(item, field) for item in _country_items(value)]
            out[field] = [code for code, _ in read]
            notes += [n for _, n in read if n is not None]
            continue
        if field in COUNTRY_FIELDS:
            out[field], note = _country(value, field)
        elif field in DAY_FIELDS and _needs_reading(field, value):
            out[field], note = _days(value, field)
        elif field in COUNT_FIELDS and _needs_reading(field, value):
            out[field], note = _count(value, field)
        elif field in PRICE_FIELDS and _needs_reading(field, value):
            out[field], note = _price(value, field)
        if note is not None:
            notes.append(note)
    return out, notes, problems
