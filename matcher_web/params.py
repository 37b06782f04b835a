"""Query-string parameter types: parsed from text, bounded (matcher.bounds), and documented with
their bounds in the OpenAPI document. Their messages name the parameter."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, WithJsonSchema

from matcher.errors import Invalid
from matcher.profiles import list_profiles


def query_int(low: int, high: int) -> Any:
    def check(value: Any, info: ValidationInfo) -> int:
        text = str(value).strip()
        number = int(text) if text.lstrip("-").isdigit() else None
        if number is None or not low <= number <= high:
            raise Invalid("invalid.query_int", name=info.field_name, low=low, high=high, value=value)
        return number

    return Annotated[int, BeforeValidator(check), WithJsonSchema({"type": "integer", "minimum": low, "maximum": high})]


def query_number(low: float, high: float) -> Any:
    def check(value: Any, info: ValidationInfo) -> float:
        try:
            number = float(str(value).strip())
        except ValueError:
            number = float("nan")
        if not low <= number <= high:  # NaN fails too
            raise Invalid("invalid.query_number", name=info.field_name, low=f"{low:g}", high=f"{high:g}", value=value)
        return number

    return Annotated[float, BeforeValidator(check),
                     WithJsonSchema({"type": "number", "minimum": low, "maximum": high})]


def _bool(value: Any, info: ValidationInfo) -> bool:
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise Invalid("invalid.query_bool", name=info.field_name, value=value)


QueryBool = Annotated[bool, BeforeValidator(_bool), WithJsonSchema({"type": "boolean"})]


class _ProfileNames:
    """JSON form: the names of the profiles saved when the document is made."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "string", "enum": list_profiles()}


def _profile(value: Any, info: ValidationInfo) -> str:
    name, known = str(value), list_profiles()
    if name not in known:
        raise Invalid("invalid.profile", value=name, known=", ".join(known) or "none")
    return name


ProfileName = Annotated[str, BeforeValidator(_profile), _ProfileNames()]
