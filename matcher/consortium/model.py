"""Consortium offers as served by the CLI, the API, the buyer page and shortlists (typed, one model)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from matcher.factors.base import Reason


class Member(BaseModel):
    supplier_id: str
    name: str
    country: str
    cluster: str | None = None
    allocated: int = Field(ge=1, description="pieces of the order given to this workshop")
    capacity: int = Field(description="whole pieces it can make in the buyer's window")
    min_order: int
    score: float = Field(ge=0, le=1, description="the engine's match score for the request")
    lead: bool = Field(description="signs the contract for the group")
    export_markets: list[str] = []


class Consortium(BaseModel):
    rank: int
    members: list[Member]
    quantity: int = Field(description="pieces allocated: exactly the order")
    capacity: int = Field(description="what the members can make together in the window")
    quality: float = Field(description="match score weighted by allocated quantity")
    value: float = Field(description="quality minus the member cost for each member beyond two")
    bound: float = Field(description="best value any group can reach (for rank > 1: among groups that do not "
                                     "contain an earlier group); the solver's proven upper bound")
    gap: float = Field(ge=0, description="(bound - value) / |bound|; 0 when proven optimal")
    status: Literal["optimal", "feasible"]
    materials: list[str] = Field(description="materials every member works (vocabulary ids)")
    techniques: list[str] = Field(description="techniques shared by the members that state any")
    lead: str | None = Field(default=None, description="supplier_id of the lead, when a member has exported")
    reasons: list[Reason]
    text: str = Field(description="the reasons as one line, in the request's language")


class ConsortiumResult(BaseModel):
    request_id: str | None
    quantity: int
    window_days: int
    max_members: int
    status: Literal["single", "groups", "none"] = Field(
        description="single: one workshop can fill the order (no consortium needed); groups: see groups; "
                    "none: no group can, reasons say what is missing")
    message: str
    candidates: int = Field(description="workshops that may be members (see notes)")
    single: list[str] = Field(default=[], description="workshops that can fill the order alone")
    groups: list[Consortium] = []
    reasons: list[Reason] = Field(default=[], description="why there is no group, or why none is needed")
    notes: list[str] = Field(default=[], description="what optimality is claimed over")
    solver: dict[str, float | int | str] = {}
