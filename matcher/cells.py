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

from matcher.bounds import MAX_PRICE_EUR, MAX_TOP_K, SHORTLIST_TOP_K
from matcher.errors import Invalid

_TRUE = {"yes", "y", "true", "t", "1", "oui", "o", "vrai", "si", "sì", "ja", "نعم"}
_FALSE = {"no", "n", "false", "f", "0", "non", "faux", "nein", "لا"}


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    text = resources.files("matcher.vocabularies").joinpath("countries.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line and not line.startswith("#"))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def split_list(value: Any) -> list[str]:
    if is_blank(value):
        return []
    items = value.split(";") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise Invalid("invalid.list", value=value)
    out: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    return out


def country_code(value: Any) -> str:
    code = str(value).strip().upper()
    if code not in country_codes():
        raise Invalid("invalid.country", value=value)
    return code


def country_list(value: Any) -> list[str]:
    return [country_code(v) for v in split_list(value)]


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
    for item in split_list(value):
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
    return str(value).strip()


def at_least(limit: int) -> Any:
    def check(value: Any) -> Any:
        if value is not None and value < limit:
            raise Invalid("invalid.min", limit=limit, value=value)
        return value

    return check


def at_most(limit: float) -> Any:
    def check(value: Any) -> Any:
        if value is not None and value > limit:
            raise Invalid("invalid.max", limit=f"{limit:g}", value=f"{value:g}")
        return value

    return check


# Each type also states the JSON form the API documents (OpenAPI): the canonical shape.
# The parsers accept more (officers' spreadsheet spellings), never less.
_TEXT = {"type": "string", "pattern": r"\S"}
_COUNTRY = {"type": "string", "enum": sorted(country_codes())}


def _json(schema: dict[str, Any], optional: bool = False) -> WithJsonSchema:
    return WithJsonSchema({"anyOf": [schema, {"type": "null"}]} if optional else schema)


TextList = Annotated[list[str], BeforeValidator(split_list), _json({"type": "array", "items": _TEXT})]
Country = Annotated[str, BeforeValidator(country_code), _json(_COUNTRY)]
CountryList = Annotated[list[str], BeforeValidator(country_list), _json({"type": "array", "items": _COUNTRY})]
HSCodes = Annotated[list[str], BeforeValidator(hs_code_list),
                    _json({"type": "array", "items": {"type": "string", "pattern": r"^(\d{4}|\d{6})$"}})]
Languages = Annotated[list[str], BeforeValidator(language_list),
                      _json({"type": "array", "items": {"type": "string", "pattern": "^[a-z]{2,3}$"}})]
OptBool = Annotated[bool | None, BeforeValidator(parse_bool), _json({"type": "boolean"}, optional=True)]
Text = Annotated[str, BeforeValidator(parse_text), _json(_TEXT)]
OptText = Annotated[str | None, BeforeValidator(parse_text), _json({"type": "string"}, optional=True)]

NonNegInt = Annotated[int, BeforeValidator(parse_int), AfterValidator(at_least(0)),
                      _json({"type": "integer", "minimum": 0})]
PosInt = Annotated[int, BeforeValidator(parse_int), AfterValidator(at_least(1)),
                   _json({"type": "integer", "minimum": 1})]
OptNonNegInt = Annotated[int | None, BeforeValidator(parse_int), AfterValidator(at_least(0)),
                         _json({"type": "integer", "minimum": 0}, optional=True)]
OptPosInt = Annotated[int | None, BeforeValidator(parse_int), AfterValidator(at_least(1)),
                      _json({"type": "integer", "minimum": 1}, optional=True)]
OptPrice = Annotated[float | None, BeforeValidator(parse_float), AfterValidator(at_least(0)),
                     AfterValidator(at_most(MAX_PRICE_EUR)),
                     _json({"type": "number", "minimum": 0, "maximum": MAX_PRICE_EUR}, optional=True)]
Flag = Annotated[bool, BeforeValidator(lambda v: bool(parse_bool(v))), _json({"type": "boolean"})]
TopK = Annotated[int | None, BeforeValidator(parse_int), AfterValidator(at_least(1)),
                 AfterValidator(at_most(MAX_TOP_K)),
                 _json({"type": "integer", "minimum": 1, "maximum": MAX_TOP_K}, optional=True)]
ShortlistTopK = Annotated[int, BeforeValidator(parse_int), AfterValidator(at_least(SHORTLIST_TOP_K[0])),
                          AfterValidator(at_most(SHORTLIST_TOP_K[1])),
                          _json({"type": "integer", "minimum": SHORTLIST_TOP_K[0], "maximum": SHORTLIST_TOP_K[1]})]
