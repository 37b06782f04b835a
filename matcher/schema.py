"""The data contract: one set of pydantic models for import, storage and the API.

Spreadsheet cells arrive as text, so every field also accepts the forms an
officer types: ``"argent 925; corail"`` for lists, ``oui``/``non`` for
booleans, ``"1 200"`` and ``"12,5"`` for numbers. Empty means "not stated".
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic import ValidationError as PydanticValidationError

from matcher.cells import (
    Country,
    CountryList,
    Flag,
    HSCodes,
    Languages,
    NonNegInt,
    OptBool,
    OptNonNegInt,
    OptPosInt,
    OptPrice,
    OptText,
    PosInt,
    Text,
    TextList,
    country_code,
    country_codes,
    is_blank,
    language_list,
    parse_float,
    split_list,
)
from matcher.errors import FieldProblem, RecordError

# Factor names are part of the contract: requests may override their weights.
FACTORS: tuple[str, ...] = (
    "semantic",
    "product",
    "capacity",
    "min_order",
    "lead_time",
    "price",
    "certifications",
    "sustainability",
    "materials",
    "export",
    "language",
    "country",
)

PRIVATE_SUPPLIER_FIELDS = frozenset({"contact_email"})
# Explicit control/space range, not \s: JSON Schema (ECMA) and Python disagree on what \s covers.
EMAIL_PATTERN = r"^[^@\x00-\x20\x7f]+@[^@\x00-\x20\x7f]+\.[^@\x00-\x20\x7f]+$"

BUYER_TYPES = (
    "retailer",
    "fair_trade_importer",
    "wholesaler",
    "hotel",
    "designer",
    "museum_shop",
    "other",
)



class Supplier(BaseModel):
    """An artisan supplier: one workshop, cooperative or firm."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    supplier_id: Text = Field(min_length=1, max_length=100, json_schema_extra={"maxLength": 100})
    name: Text = Field(min_length=1, max_length=300, json_schema_extra={"maxLength": 300})
    country: Country
    region: OptText = None
    cluster: OptText = None
    description: Text = Field(min_length=1, max_length=10_000, json_schema_extra={"maxLength": 10_000})
    products: TextList = Field(min_length=1, json_schema_extra={"minItems": 1})
    hs_codes: HSCodes = []
    materials: TextList = []
    techniques: TextList = []
    monthly_capacity: NonNegInt
    min_order_qty: PosInt = 1
    lead_time_days: NonNegInt
    price_min_eur: OptPrice = None
    price_max_eur: OptPrice = None
    certifications: TextList = []
    sustainability: TextList = []
    export_markets: CountryList = []
    languages: Languages = []
    employees: OptNonNegInt = None
    customization: OptBool = None
    samples: OptBool = None
    contact_email: OptText = Field(default=None, max_length=320, json_schema_extra={
        "maxLength": 320, "pattern": EMAIL_PATTERN})
    extra: dict[str, str] = Field(default_factory=dict, description="Extra sheet columns, kept as text")

    @field_validator("price_max_eur")
    @classmethod
    def _check_prices(cls, high: float | None, info: ValidationInfo) -> float | None:
        low = info.data.get("price_min_eur")
        if low is not None and high is not None and low > high:
            raise ValueError(f"price_min_eur ({low:g}) is greater than price_max_eur ({high:g})")
        return high

    @field_validator("contact_email")
    @classmethod
    def _check_email(cls, email: str | None) -> str | None:
        if email and not re.fullmatch(EMAIL_PATTERN, email):
            raise ValueError(f"'{email}' is not an e-mail address")
        return email

    def public(self) -> dict[str, Any]:
        """The supplier as buyers may see it: private fields removed."""
        return self.model_dump(exclude=set(PRIVATE_SUPPLIER_FIELDS))


def parse_weights(value: Any) -> dict[str, float] | None:
    """Factor weights from an object or the CSV form 'product=3; price=1'."""
    if is_blank(value):
        return None
    if isinstance(value, str):  # CSV form: "product=3; price=1"
        pairs = {}
        for item in split_list(value):
            name, sep, number = item.partition("=")
            if not sep:
                raise ValueError(f"weights must look like 'product=3; price=1' (got {item!r})")
            pairs[name.strip()] = number.strip()
        value = pairs
    if not isinstance(value, dict):
        raise ValueError("weights must be an object of factor -> number")
    unknown = sorted(set(value) - set(FACTORS))
    if unknown:
        raise ValueError(f"unknown factor(s) {', '.join(unknown)}; known: {', '.join(FACTORS)}")
    out = {}
    for name, number in value.items():
        weight = parse_float(number)
        if weight is None or weight < 0:
            raise ValueError(f"weight of '{name}' must be a number >= 0 (got {number!r})")
        out[name] = weight
    return out


def _buyer_type(value: Any) -> str | None:
    if is_blank(value):
        return None
    key = re.sub(r"[\s\-]+", "_", str(value).strip().lower())
    if key not in BUYER_TYPES:
        raise ValueError(f"'{value}' is not a buyer type; use one of {', '.join(BUYER_TYPES)}")
    return key


class BuyerRequest(BaseModel):
    """A sourcing request: what one buyer wants, must-haves apart from wishes."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    request_id: OptText = Field(default=None, max_length=100, json_schema_extra={"maxLength": 100})
    buyer_name: Text = Field(min_length=1, max_length=300, json_schema_extra={"maxLength": 300})
    buyer_country: Annotated[str | None, BeforeValidator(lambda v: None if is_blank(v) else country_code(v)),
                             WithJsonSchema({"anyOf": [{"enum": sorted(country_codes())}, {"type": "null"}]})] = None
    buyer_type: Annotated[str | None, BeforeValidator(_buyer_type),
                          WithJsonSchema({"anyOf": [{"enum": list(BUYER_TYPES)}, {"type": "null"}]})] = None
    language: Annotated[str | None, BeforeValidator(lambda v: (language_list(v) or [None])[0]),
                        WithJsonSchema({"anyOf": [{"type": "string", "pattern": "^[a-z]{2,3}$"},
                                                  {"type": "null"}]})] = None
    description: Text = Field(min_length=1, max_length=10_000, json_schema_extra={"maxLength": 10_000})
    products: TextList = []
    hs_codes: HSCodes = []
    materials: TextList = []
    quantity: PosInt
    max_lead_time_days: OptPosInt = None
    max_unit_price_eur: OptPrice = None
    required_certifications: TextList = []
    preferred_certifications: TextList = []
    sustainability: TextList = []
    customization_required: Flag = False
    samples_required: Flag = False
    export_experience_required: Flag = False
    preferred_countries: CountryList = []
    weights: Annotated[dict[str, float] | None, BeforeValidator(parse_weights),
                       WithJsonSchema({"anyOf": [{"type": "object", "propertyNames": {"enum": list(FACTORS)},
                                                  "additionalProperties": {"type": "number", "minimum": 0}},
                                                 {"type": "null"}]})] = None
    top_k: OptPosInt = None
    extra: dict[str, str] = Field(default_factory=dict, description="Extra sheet columns, kept as text")

    @field_validator("top_k")
    @classmethod
    def _check_top_k(cls, top_k: int | None) -> int | None:
        if top_k is not None and top_k > 500:
            raise ValueError(f"must be <= 500 (got {top_k})")
        return top_k


Kind = Literal["supplier", "request"]
MODELS: dict[str, type[BaseModel]] = {"supplier": Supplier, "request": BuyerRequest}


def _problem_text(err: dict[str, Any]) -> str:
    kind, ctx = err["type"], err.get("ctx", {})
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "too_short":
        return "needs at least one value" if ctx.get("field_type") == "List" else "must not be empty"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    return err["msg"]


def validate_record(kind: Kind, data: Any, *, file: str | None = None, row: int | None = None) -> BaseModel:
    """Build a Supplier or BuyerRequest, or raise RecordError naming every bad field."""
    if not isinstance(data, dict):
        raise RecordError([FieldProblem("", f"a {kind} must be an object, got {type(data).__name__}", row, file)])
    try:
        return MODELS[kind].model_validate(data)
    except PydanticValidationError as exc:
        problems = [
            FieldProblem(".".join(str(p) for p in err["loc"]), _problem_text(err), row, file)
            for err in exc.errors()
        ]
        raise RecordError(problems) from None
