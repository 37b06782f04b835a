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

from matcher.bounds import (
    DESCRIPTION_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    EXTRA_MAX_COLUMNS,
    EXTRA_NAME_MAX_LENGTH,
    EXTRA_VALUE_MAX_LENGTH,
    ID_MAX_LENGTH,
    MAX_WEIGHT,
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
)
from matcher.cells import (
    Country,
    CountryList,
    Days,
    Flag,
    HSCodes,
    Languages,
    LongText,
    OptBool,
    OptEmployees,
    OptPosDays,
    OptPosQuantity,
    OptPrice,
    OptText,
    PosQuantity,
    Quantity,
    Text,
    TextList,
    TopK,
    check_text,
    country_code,
    country_codes,
    is_blank,
    language_list,
    parse_float,
    split_list,
)
from matcher.errors import FieldProblem, Invalid, RecordError
from matcher.factors import registry

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



def _extra_columns(value: Any) -> Any:
    """Extra sheet columns: at most EXTRA_MAX_COLUMNS, names and values as text of bounded length."""
    if not isinstance(value, dict):
        return value  # pydantic names the type error
    if len(value) > EXTRA_MAX_COLUMNS:
        raise Invalid("invalid.too_many", max=EXTRA_MAX_COLUMNS, count=len(value))
    for name, text in value.items():
        if not isinstance(name, str) or not isinstance(text, str):
            continue
        if len(name) > EXTRA_NAME_MAX_LENGTH or len(text) > EXTRA_VALUE_MAX_LENGTH:
            raise Invalid("invalid.item_too_long", max=EXTRA_VALUE_MAX_LENGTH)
        check_text(name)
        check_text(text, long=True)
    return value


ExtraColumns = Annotated[dict[str, str], BeforeValidator(_extra_columns), WithJsonSchema({
    "type": "object", "maxProperties": EXTRA_MAX_COLUMNS,
    "propertyNames": {"maxLength": EXTRA_NAME_MAX_LENGTH, "pattern": r"^[^\x00-\x1f\x7f]*$(?!\n)"},
    "additionalProperties": {"type": "string", "maxLength": EXTRA_VALUE_MAX_LENGTH,
                             "pattern": r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"}})]
_OPT_TEXT_ID: dict[str, Any] = {"type": "string", "pattern": r"^[^\x00-\x1f\x7f]*$(?!\n)"}
_OPT_MAX: dict[str, Any] = {"anyOf": [{**_OPT_TEXT_ID, "maxLength": TEXT_MAX_LENGTH}, {"type": "null"}]}


class PublicSupplier(BaseModel):
    """A supplier as every role may see it: the public fields, declared here once (an allowlist).

    :class:`Supplier` adds the team-only fields: the contact e-mail and the sheet's extra columns.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    supplier_id: Text = Field(min_length=1, max_length=ID_MAX_LENGTH, json_schema_extra={"maxLength": ID_MAX_LENGTH})
    name: Text = Field(min_length=1, max_length=NAME_MAX_LENGTH, json_schema_extra={"maxLength": NAME_MAX_LENGTH})
    country: Country
    region: OptText = Field(default=None, max_length=TEXT_MAX_LENGTH, json_schema_extra=_OPT_MAX)
    cluster: OptText = Field(default=None, max_length=TEXT_MAX_LENGTH, json_schema_extra=_OPT_MAX)
    description: LongText = Field(min_length=1, max_length=DESCRIPTION_MAX_LENGTH,
                                  json_schema_extra={"maxLength": DESCRIPTION_MAX_LENGTH})
    products: TextList = Field(min_length=1, json_schema_extra={"minItems": 1})
    hs_codes: HSCodes = []
    materials: TextList = []
    techniques: TextList = []
    monthly_capacity: Quantity
    min_order_qty: PosQuantity = 1
    lead_time_days: Days
    price_min_eur: OptPrice = None
    price_max_eur: OptPrice = Field(default=None, description="at least price_min_eur when both are given")
    certifications: TextList = []
    sustainability: TextList = []
    export_markets: CountryList = []
    languages: Languages = []
    employees: OptEmployees = None
    customization: OptBool = None
    samples: OptBool = None
    extra: ExtraColumns = Field(default_factory=dict, description="Extra sheet columns the team marked public "
                                "at import (every other column is team-only)")

    @field_validator("price_max_eur")
    @classmethod
    def _check_prices(cls, high: float | None, info: ValidationInfo) -> float | None:
        low = info.data.get("price_min_eur")
        if low is not None and high is not None and low > high:
            raise Invalid("invalid.price_order", low=f"{low:g}", high=f"{high:g}")
        return high


class Supplier(PublicSupplier):
    """An artisan supplier: one workshop, cooperative or firm (every field, as the team sees it)."""

    contact_email: OptText = Field(default=None, max_length=EMAIL_MAX_LENGTH, json_schema_extra={
        "anyOf": [{"type": "string", "maxLength": EMAIL_MAX_LENGTH, "pattern": EMAIL_PATTERN}, {"type": "null"}]})
    extra: ExtraColumns = Field(default_factory=dict, description="Extra sheet columns, kept as text")

    @field_validator("contact_email")
    @classmethod
    def _check_email(cls, email: str | None) -> str | None:
        if email and not re.fullmatch(EMAIL_PATTERN, email):
            raise Invalid("invalid.email", value=email)
        return email

    def public(self, columns: list[str] | tuple[str, ...] = ()) -> PublicSupplier:
        """The supplier as buyers, evaluators and exports for them may see it: public fields only, and of
        the extra sheet columns those in ``columns`` (marked public by the team at import)."""
        fields = self.model_dump(include=set(PublicSupplier.model_fields) - {"extra"})
        return PublicSupplier.model_construct(**fields, extra={k: v for k, v in self.extra.items() if k in columns})


class WeightsSchema:
    """JSON form of ``weights``: an object keyed by the factors registered when the document is made."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"anyOf": [{"type": "object", "propertyNames": {"enum": list(registry.names())},
                           "additionalProperties": {"type": "number", "minimum": 0, "maximum": MAX_WEIGHT}},
                          {"type": "null"}]}


def parse_weights(value: Any) -> dict[str, float] | None:
    """Factor weights from an object or the CSV form 'product=3; price=1'."""
    if is_blank(value):
        return None
    if isinstance(value, str):  # CSV form: "product=3; price=1"
        pairs = {}
        for item in split_list(value):
            name, sep, number = item.partition("=")
            if not sep:
                raise Invalid("invalid.weights_form", value=item)
            pairs[name.strip()] = number.strip()
        value = pairs
    if not isinstance(value, dict):
        raise Invalid("invalid.weights_type")
    known = registry.names()
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise Invalid("invalid.weights_unknown", names=", ".join(unknown), known=", ".join(known))
    out = {}
    for name, number in value.items():
        weight = parse_float(number)
        if weight is None or weight < 0 or weight > MAX_WEIGHT:
            raise Invalid("invalid.weight_range", name=name, value=number, high=f"{MAX_WEIGHT:g}")
        out[name] = weight
    return out


def _buyer_type(value: Any) -> str | None:
    if is_blank(value):
        return None
    key = re.sub(r"[\s\-]+", "_", str(value).strip().lower())
    if key not in BUYER_TYPES:
        raise Invalid("invalid.buyer_type", value=value, known=", ".join(BUYER_TYPES))
    return key


class BuyerRequest(BaseModel):
    """A sourcing request: what one buyer wants, must-haves apart from wishes."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    request_id: OptText = Field(default=None, max_length=ID_MAX_LENGTH, json_schema_extra={
        "anyOf": [{**_OPT_TEXT_ID, "maxLength": ID_MAX_LENGTH}, {"type": "null"}]})
    buyer_name: Text = Field(min_length=1, max_length=NAME_MAX_LENGTH, json_schema_extra={"maxLength": NAME_MAX_LENGTH})
    buyer_country: Annotated[str | None, BeforeValidator(lambda v: None if is_blank(v) else country_code(v)),
                             WithJsonSchema({"anyOf": [{"enum": sorted(country_codes())}, {"type": "null"}]})] = None
    buyer_type: Annotated[str | None, BeforeValidator(_buyer_type),
                          WithJsonSchema({"anyOf": [{"enum": list(BUYER_TYPES)}, {"type": "null"}]})] = None
    language: Annotated[str | None, BeforeValidator(lambda v: (language_list(v) or [None])[0]),
                        WithJsonSchema({"anyOf": [{"type": "string", "pattern": "^[a-z]{2,3}$"},
                                                  {"type": "null"}]})] = None
    description: LongText = Field(min_length=1, max_length=DESCRIPTION_MAX_LENGTH,
                                  json_schema_extra={"maxLength": DESCRIPTION_MAX_LENGTH})
    products: TextList = []
    hs_codes: HSCodes = []
    materials: TextList = []
    quantity: OptPosQuantity = Field(default=None, description="units wanted; read from the description when absent")
    max_lead_time_days: OptPosDays = None
    max_unit_price_eur: OptPrice = None
    required_certifications: TextList = []
    preferred_certifications: TextList = []
    sustainability: TextList = []
    customization_required: Flag = False
    samples_required: Flag = False
    export_experience_required: Flag = False
    preferred_countries: CountryList = []
    weights: Annotated[dict[str, float] | None, BeforeValidator(parse_weights),
                       WeightsSchema()] = None
    top_k: TopK = None
    ignore: TextList = Field(default=[], description="ids of items read from the description that the buyer "
                                                      "removed (see the result's interpretation)")
    extra: ExtraColumns = Field(default_factory=dict, description="Extra sheet columns, kept as text")


Kind = Literal["supplier", "request"]
MODELS: dict[str, type[BaseModel]] = {"supplier": Supplier, "request": BuyerRequest}
SupplierOrRequest: dict[str, type[Supplier] | type[BuyerRequest]] = {"supplier": Supplier, "request": BuyerRequest}


def _problem(err: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(English text, message id, parameters) of one pydantic error."""
    from matcher import i18n

    kind, ctx = err["type"], err.get("ctx", {})
    error = ctx.get("error")
    if kind == "value_error" and isinstance(error, Invalid):
        return str(error), error.msgid, error.params
    if kind == "value_error":
        return str(error or err["msg"]), "", {}
    if kind in ("literal_error", "enum"):
        params = {"known": ctx.get("expected", ""), "value": err.get("input")}
        return i18n.msg("en", "invalid.choice", **params), "invalid.choice", params
    msgid, params = {
        "missing": ("invalid.required", {}),
        "extra_forbidden": ("invalid.unknown_field", {}),
        "too_short": ("invalid.empty_list" if ctx.get("field_type") == "List" else "invalid.empty", {}),
        "string_too_short": ("invalid.empty", {}),
        "string_too_long": ("invalid.too_long", {"max": ctx.get("max_length")}),
    }.get(kind, ("", {}))
    return (i18n.msg("en", msgid, **params) if msgid else err["msg"]), msgid, params


def validate_record(kind: Kind, data: Any, *, file: str | None = None,
                    row: int | None = None) -> Supplier | BuyerRequest:
    """Build a Supplier or BuyerRequest, or raise RecordError naming every bad field."""
    if not isinstance(data, dict):
        bad = Invalid("invalid.object", kind=kind, type=type(data).__name__)
        raise RecordError([FieldProblem("", str(bad), row, file, bad.msgid, bad.params)])
    try:
        return SupplierOrRequest[kind].model_validate(data)
    except PydanticValidationError as exc:
        raise RecordError([FieldProblem(p.field, p.message, row, file, p.msgid, p.params)
                           for p in pydantic_problems(exc)]) from None


def pydantic_problems(exc: PydanticValidationError) -> list[FieldProblem]:
    """Every error of a pydantic validation as a FieldProblem (field path, English text, message id)."""
    out = []
    for err in exc.errors():
        text, msgid, params = _problem(dict(err))
        out.append(FieldProblem(".".join(str(p) for p in err["loc"]), text, None, None, msgid, params))
    return out
