"""Query-string parameter types: parsed from text, bounded (matcher.bounds), and documented with
their bounds in the OpenAPI document. Their messages name the parameter."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, WithJsonSchema

from matcher.bounds import FAIR_TIME_LIMIT, LIST_LIMIT, MAX_COLUMN_NAME, MAX_OFFSET, MAX_PUBLIC_COLUMNS, MAX_TOP_K
from matcher.errors import Invalid
from matcher.profiles import selectable_profiles


def _int_between(low: int, high: int) -> BeforeValidator:
    def check(value: Any, info: ValidationInfo) -> int:
        text = str(value).strip()
        number = int(text) if text.lstrip("-").isdigit() else None
        if number is None or not low <= number <= high:
            raise Invalid("invalid.query_int", name=info.field_name, low=low, high=high, value=value)
        return number

    return BeforeValidator(check)


def _number_between(low: float, high: float) -> BeforeValidator:
    def check(value: Any, info: ValidationInfo) -> float:
        try:
            number = float(str(value).strip())
        except ValueError:
            number = float("nan")
        if not low <= number <= high:  # NaN fails too
            raise Invalid("invalid.query_number", name=info.field_name, low=f"{low:g}", high=f"{high:g}", value=value)
        return number

    return BeforeValidator(check)


def _bounds(kind: str, low: float, high: float) -> WithJsonSchema:
    return WithJsonSchema({"type": kind, "minimum": low, "maximum": high})


TopKParam = Annotated[int, _int_between(1, MAX_TOP_K), _bounds("integer", 1, MAX_TOP_K)]
LimitParam = Annotated[int, _int_between(*LIST_LIMIT), _bounds("integer", *LIST_LIMIT)]
OffsetParam = Annotated[int, _int_between(0, MAX_OFFSET), _bounds("integer", 0, MAX_OFFSET)]
TimeLimitParam = Annotated[float, _number_between(*FAIR_TIME_LIMIT), _bounds("number", *FAIR_TIME_LIMIT)]


def _bool(value: Any, info: ValidationInfo) -> bool:
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise Invalid("invalid.query_bool", name=info.field_name, value=value)


QueryBool = Annotated[bool, BeforeValidator(_bool), WithJsonSchema({"type": "boolean"})]


def _form_bool(value: Any, info: ValidationInfo) -> bool:
    if str(value) in ("true", "false"):
        return str(value) == "true"
    raise Invalid("invalid.query_bool", name=info.field_name, value=value)


FormBool = Annotated[bool, BeforeValidator(_form_bool), WithJsonSchema({"type": "boolean"})]  # multipart: true/false


class _ProfileNames:
    """JSON form: the profiles saved when the document is made, NAME (latest) and every NAME@N."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "string", "enum": selectable_profiles()}


def _profile(value: Any, info: ValidationInfo) -> str:
    name, known = str(value), selectable_profiles()
    if name not in known:
        raise Invalid("invalid.profile", value=name, known=", ".join(known) or "none")
    return name


ProfileName = Annotated[str, BeforeValidator(_profile), _ProfileNames()]


def parse_columns(value: Any) -> list[str]:
    """Column names separated by ';' or ','; bounded in number and length (as COLUMNS_PATTERN says)."""
    parts = re.split(r"[;,]", str(value or ""))
    if len(parts) > MAX_PUBLIC_COLUMNS or any(len(n) > MAX_COLUMN_NAME for n in parts):
        raise Invalid("invalid.columns", most=MAX_PUBLIC_COLUMNS, longest=MAX_COLUMN_NAME)
    return [n.strip() for n in parts if n.strip()]


COLUMNS_PATTERN = rf"^[^;,]{{0,{MAX_COLUMN_NAME}}}([;,][^;,]{{0,{MAX_COLUMN_NAME}}}){{0,{MAX_PUBLIC_COLUMNS - 1}}}$"


ColumnNames = Annotated[list[str], BeforeValidator(parse_columns),
                        WithJsonSchema({"type": "string", "pattern": COLUMNS_PATTERN})]
