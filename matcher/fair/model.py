"""A fair plan as stored, served and exported: typed models that round-trip through the store."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Outcome = Literal["not_held", "no_interest", "follow_up", "cooperation_possible", "agreement"]

# Outcome -> grade (the rubric of data/eval/README.md, from the buyer's side): agreement reached 3,
# cooperation possible 2, follow-up planned 1, no interest 0; a meeting that did not take place
# says nothing and gives no label.
OUTCOME_GRADES: dict[str, int | None] = {
    "not_held": None,
    "no_interest": 0,
    "follow_up": 1,
    "cooperation_possible": 2,
    "agreement": 3,
}


class Meeting(BaseModel):
    meeting_id: str
    request_id: str
    buyer_name: str
    supplier_id: str
    supplier_name: str
    slot: int
    start: str
    end: str
    table: int
    value: float
    score: float
    eligible: bool
    wish: str
    must: bool
    why: str


class Plan(BaseModel):
    fair: str
    stats: dict[str, Any]
    solver: dict[str, Any]
    notes: list[str]
    meetings: list[Meeting]


class OutcomeRecord(BaseModel):
    outcome: Outcome
    note: str | None = None
    updated_at: str


class StoredPlan(Plan):
    """A plan as the store returns it: with its id and what came of each meeting so far."""

    plan_id: str
    outcomes: dict[str, OutcomeRecord] = Field(default_factory=dict)


class PlanSummary(BaseModel):
    plan_id: str
    name: str
    created_at: str
