"""The API's envelopes and parameter models. Records (BuyerRequest, Supplier, MatchResult, plans,
reports) are the library's own models; these wrap them for HTTP and are the OpenAPI document's
source too. Bounds come from matcher.bounds."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from matcher.bounds import FAIR_DEFAULT_TIME_LIMIT, ID_MAX_LENGTH, LIST_DEFAULT_LIMIT, SHORTLIST_DEFAULT_TOP_K
from matcher.cells import OptText, ShortlistTopK
from matcher.explain import MatchResult
from matcher.fair.model import Outcome, PlanSummary
from matcher.schema import BuyerRequest, PublicSupplier, Supplier

from .params import ColumnNames, FormBool, LimitParam, OffsetParam, ProfileName, QueryBool, TimeLimitParam, TopKParam


class _Query(BaseModel):
    model_config = ConfigDict(extra="ignore")


class MatchQuery(_Query):
    top_k: TopKParam | None = Field(default=None, description="matches to return (default 10)")
    include_ineligible: QueryBool = Field(default=False, description="list suppliers that miss a must-have too")
    profile: ProfileName | None = Field(default=None, description="weight profile (default: the server's)")


class ProfileQuery(_Query):
    profile: ProfileName | None = None


class SupplierQuery(_Query):
    q: str = Field(default="", description="words to find in any order in id, name, products, materials, techniques "
                                           "or description (any case or accent); best match first")
    country: str = Field(default="", description="ISO 3166-1 alpha-2 code")
    cluster: str = ""
    product: str = ""
    limit: LimitParam = LIST_DEFAULT_LIMIT
    offset: OffsetParam = 0


class PlanQuery(_Query):
    time_limit: TimeLimitParam = FAIR_DEFAULT_TIME_LIMIT


class RequestCreated(BaseModel):
    request: BuyerRequest
    result: MatchResult


class RequestList(BaseModel):
    requests: list[BuyerRequest]


class SupplierList(BaseModel):
    total: int
    suppliers: list[Supplier | PublicSupplier] = Field(description="public fields only, except for the team")


class ShortlistRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_ids: list[str] | None = Field(default=None, description="stored requests (default: all)")
    top_k: ShortlistTopK = SHORTLIST_DEFAULT_TOP_K
    format: Literal["json", "csv", "zip", "xlsx"] = Field(default="json", description="csv: the per-buyer table; "
                                                          "zip: one CSV file per table")
    min_score: float = Field(default=0.0, ge=0, le=1, description="leave out suppliers scoring below this")
    profile: ProfileName | None = None


ShortlistRow = dict[str, str | int | float | None]


class Shortlist(BaseModel):
    buyers: list[ShortlistRow]
    suppliers: list[ShortlistRow]
    consortia: list[ShortlistRow] = Field(default_factory=list, description=(
        "per request too large for one workshop: each member of its best groups (or one row saying why "
        "there is none), as in the CSV/XLSX consortia table"))


class ProfileInfo(BaseModel):
    name: str
    version: int
    embedder: str
    weights: dict[str, float]
    defaulted: list[str] = Field(description="factors the profile predates, weighted by their declared default")
    held_out: dict[str, Any] | None


class ProfileList(BaseModel):
    default: str
    profiles: list[ProfileInfo]


class PlanCreated(BaseModel):
    plan_id: str
    stats: dict[str, Any]
    solver: dict[str, Any]
    notes: list[str]


class PlanList(BaseModel):
    plans: list[PlanSummary]


class OutcomeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    note: str | None = None


class ImportForm(BaseModel):
    model_config = ConfigDict(extra="ignore", arbitrary_types_allowed=True)

    file: Any = Field(json_schema_extra={"type": "string", "format": "binary"})
    strict: FormBool = False
    public_columns: ColumnNames = Field(default=[], description="extra sheet columns buyers and evaluators may see, "
                                        "separated by ';' or ',' (every other extra column is team-only)")


class SupplierReplacement(Supplier):
    """A supplier as PUT /suppliers/{supplier_id} takes it: the id may be left out (the URL's is used)."""

    supplier_id: OptText = Field(  # type: ignore[assignment]
        default=None, max_length=ID_MAX_LENGTH,
        json_schema_extra={"anyOf": [{"type": "string", "maxLength": ID_MAX_LENGTH, "pattern": r"\S"},
                                     {"type": "null"}]})


class Health(BaseModel):
    status: str
    suppliers: int
    profile: str
    model: str
