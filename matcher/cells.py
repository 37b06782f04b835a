"""Parsers for cell values as officers type them, and the pydantic field types built on them.

``"argent 925; corail"`` is a list, ``oui``/``non`` a boolean, ``"1 200"`` and ``"12,5"``
numbers; an empty cell means "not stated". Each parser raises ValueError with a message that
names the value, which the schema turns into a row/field problem.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from matcher.bounds import (
    COUNTRY_LIST_MAX_ITEMS,
    LANGUAGE_LIST_MAX_ITEMS,
    LIST_ITEM_MAX_LENGTH,
    LIST_MAX_ITEMS,
    MAX_DAYS,
    MAX_EMPLOYEES,
    MAX_PRICE_EUR,
    MAX_QUANTITY,
    MAX_TOP_K,
    SHORTLIST_TOP_K,
)
from matcher.errors import Invalid

_TRUE = {"yes", "y", "true", "t", "1", "oui", "o", "vrai", "si", "sì", "ja", "نعم"}
_FALSE = {"no", "n", "false", "f", "0", "non", "faux", "nein", "لا"}


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    text = resources.files("matcher.vocabularies").joinpath("countries.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line and not line.startswith("#"))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Control characters: none in one-line texts; descriptions may hold tabs and line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_LONG = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(text: str, long: bool = False) -> str:
    """``text`` when it is valid Unicode (no lone surrogate) without control characters (``long``: tabs
    and line breaks allowed), else Invalid: such text breaks exports (CSV, ICS) and logs."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("invalid.unicode") from None
    if (_CONTROL_LONG if long else _CONTROL).search(text):
        raise Invalid("invalid.unicode")
    return text


def split_list(value: Any, max_items: int = LIST_MAX_ITEMS) -> list[str]:
    if is_blank(value):
        return []
    items = value.split(";") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise Invalid("invalid.list", value=value)
    if len(items) > max_items:
        raise Invalid("invalid.too_many", max=max_items, count=len(items))
    out: list[str] = []
    for item in items:
        text = check_text(str(item)).strip()
        if len(text) > LIST_ITEM_MAX_LENGTH:
            raise Invalid("invalid.item_too_long", max=LIST_ITEM_MAX_LENGTH)
        if text and text not in out:
            out.append(text)
    return out


def country_code(value: Any) -> str:
    code = str(value).strip().upper()
    if code not in country_codes():
        raise Invalid("invalid.country", value=value)
    return code


def country_list(value: Any) -> list[str]:
    return [country_code(v) for v in split_list(value, COUNTRY_LIST_MAX_ITEMS)]


def hs_code_list(value: Any) -> list[str]:
    codes = []
    for item in split_list(value):
        digits = re.sub(r"[.\s]", "", item)
        if not (digits.isdigit() and len(digits) in (4, 6)):
            raise Invalid("invalid.hs_code", value=item)
        codes.append(digits)
    return codes


def language_list(value: Any) -> list[str]:
    langs = []
    for item in split_list(value, LANGUAGE_LIST_MAX_ITEMS):
        code = item.strip().lower()
        if not re.fullmatch(r"[a-z]{2,3}", code):
            raise Invalid("invalid.language", value=item)
        langs.append(code)
    return langs


def parse_bool(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Invalid("invalid.bool", value=value)


def _number_text(value: Any) -> Any:
    # Officers type "1 200" (French thousands) and "12,5" (decimal comma).
    if isinstance(value, str):
        text = re.sub(r"[\s\u00a0\u202f]", "", value)
        if re.fullmatch(r"-?\d+,\d+", text):
            text = text.replace(",", ".")
        return text
    return value


def parse_int(value: Any) -> int | None:
    if is_blank(value):
        return None
    written, value = value, _number_text(value)  # errors quote the cell as written, not as cleaned
    if isinstance(value, bool):
        raise Invalid("invalid.integer", value=value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.0+)?", value):
        return int(float(value))
    raise Invalid("invalid.integer", value=written)


def parse_float(value: Any) -> float | None:
    if is_blank(value):
        return None
    written, value = value, _number_text(value)
    if isinstance(value, bool):
        raise Invalid("invalid.number", value=value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Invalid("invalid.number", value=written) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise Invalid("invalid.finite", value=value)
    return number


def parse_text(value: Any) -> str | None:
    if is_blank(value):
        return None
    return check_text(str(value)).strip()


def parse_long_text(value: Any) -> str | None:
    if is_blank(value):
        return None
    return check_text(str(value), long=True).strip()


def at_least(limit: int) -> Any:
    def check(value: Any) -> Any:
        if value is not None and value < limit:
            raise Invalid("invalid.min", limit=limit, value=value)
        return value

    return check


def _shown(value: float) -> str:
    """A number for a message: a 400-digit integer as its first digits and its length, not 400 digits."""
    if isinstance(value, int):
        text = str(value)
        return text if len(text) <= 20 else f"{text[:8]}… ({len(text)} digits)"
    return f"{value:g}"


def at_most(limit: float) -> Any:
    def check(value: Any) -> Any:
        if value is not None and value > limit:
            raise Invalid("invalid.max", limit=f"{limit:g}", value=_shown(value))
        return value

    return check


# Each type also states the JSON form the API documents (OpenAPI): the canonical shape.
# The parsers accept more (officers' spreadsheet spellings), never less. Text patterns say what the
# parsers check, in the regex syntax JSON Schema and Python share: no control character, and (when
# required) one character that Python's str.strip() keeps; (?!\n) stops Python's $ before a final newline.
_C = r"\x00-\x1f\x7f"
_C_LONG = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_W = r"\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"  # whitespace beyond controls
_TEXT = {"type": "string", "pattern": rf"^[^{_C}]*[^{_C}{_W}][^{_C}]*$(?!\n)"}
_LONG_TEXT = {"type": "string", "pattern": rf"^[^{_C_LONG}]*[^{_C}{_W}][^{_C_LONG}]*$"}
_OPT_TEXT = {"type": "string", "pattern": rf"^[^{_C}]*$(?!\n)"}
_ITEM = {**_TEXT, "maxLength": LIST_ITEM_MAX_LENGTH}
_COUNTRY = {"type": "string", "enum": sorted(country_codes())}


def _json(schema: dict[str, Any], optional: bool = False) -> WithJsonSchema:
    return WithJsonSchema({"anyOf": [schema, {"type": "null"}]} if optional else schema)


def _array(items: dict[str, Any], max_items: int = LIST_MAX_ITEMS) -> WithJsonSchema:
    return _json({"type": "array", "items": items, "maxItems": max_items})


def _int(low: int, high: int, optional: bool = False) -> Any:
    return Annotated[int | None if optional else int, BeforeValidator(parse_int), AfterValidator(at_least(low)),
                     AfterValidator(at_most(high)),
                     _json({"type": "integer", "minimum": low, "maximum": high}, optional=optional)]


TextList = Annotated[list[str], BeforeValidator(split_list), _array(_ITEM)]
Country = Annotated[str, BeforeValidator(country_code), _json(_COUNTRY)]
CountryList = Annotated[list[str], BeforeValidator(country_list), _array(_COUNTRY, COUNTRY_LIST_MAX_ITEMS)]
HSCodes = Annotated[list[str], BeforeValidator(hs_code_list), _array({"type": "string", "pattern": r"^(\d{4}|\d{6})$"})]
Languages = Annotated[list[str], BeforeValidator(language_list),
                      _array({"type": "string", "pattern": "^[a-z]{2,3}$"}, LANGUAGE_LIST_MAX_ITEMS)]
OptBool = Annotated[bool | None, BeforeValidator(parse_bool), _json({"type": "boolean"}, optional=True)]
Text = Annotated[str, BeforeValidator(parse_text), _json(_TEXT)]
LongText = Annotated[str, BeforeValidator(parse_long_text), _json(_LONG_TEXT)]
OptText = Annotated[str | None, BeforeValidator(parse_text), _json(_OPT_TEXT, optional=True)]

Quantity = _int(0, MAX_QUANTITY)  # monthly capacity
PosQuantity = _int(1, MAX_QUANTITY)  # minimum order
OptPosQuantity = _int(1, MAX_QUANTITY, optional=True)  # quantity wanted
Days = _int(0, MAX_DAYS)
OptPosDays = _int(1, MAX_DAYS, optional=True)
OptEmployees = _int(0, MAX_EMPLOYEES, optional=True)
OptPrice = Annotated[float | None, BeforeValidator(parse_float), AfterValidator(at_least(0)),
                     AfterValidator(at_most(MAX_PRICE_EUR)),
                     _json({"type": "number", "minimum": 0, "maximum": MAX_PRICE_EUR}, optional=True)]
Flag = Annotated[bool, BeforeValidator(lambda v: bool(parse_bool(v))), _json({"type": "boolean"})]
TopK = _int(1, MAX_TOP_K, optional=True)
ShortlistTopK = _int(*SHORTLIST_TOP_K)
