"""A fair plan as stored, served and exported: typed models that round-trip through the store."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from matcher.fair.summary import PlanNote

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
    why: str = Field(description="why meet, for the buyer, in the buyer's language")
    buyer_language: str = Field(default="en", description="the buyer's documents' language (its request's)")
    supplier_language: str = Field(default="en", description="the supplier's documents' language (from its sheet)")
    supplier_why: str = Field(default="", description="why meet, for the supplier, in the supplier's language")


class Plan(BaseModel):
    fair: str
    stats: dict[str, Any] = Field(description="PlanStats")
    solver: dict[str, Any] = Field(description="SolverReport")
    notes: list[str] = Field(description="targets lowered and why, in English")
    note_messages: list[PlanNote] = Field(default_factory=list, description="the notes as catalogue messages")
    meetings: list[Meeting]
    input_hash: str = Field(default="", description="sha256 of what the plan was made from: the plan id's source")


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


class Spread(BaseModel):
    min: int
    median: float
    max: int


class PlanStats(BaseModel):
    """What a timetable gives people; the same figures for the plan and for the greedy baseline."""

    meetings: int
    total_value: float
    meetings_per_supplier: Spread
    meetings_per_buyer: Spread
    suppliers_below_target: float = Field(description="share of suppliers below their minimum-meetings target")
    buyers_below_target: float = Field(description="share of buyers below their minimum-meetings target")
    meetings_short_of_targets: int = Field(description="buyer_shortfall + supplier_shortfall")
    buyer_shortfall: int = Field(description="meetings missing below the buyers' targets")
    supplier_shortfall: int = Field(description="meetings missing below the suppliers' targets")
    suppliers_without_meeting: int
    buyers_without_meeting: int
    mutual_wishes_met: str


class Scored(BaseModel):
    """A timetable's worth, as the planner counts it, and how far it is from the bound."""

    objective: float = Field(description="value - shortfall_penalty x shortfall")
    value: float
    shortfall: int = Field(description="meetings missing below the buyers' and suppliers' targets")
    gap: float = Field(description="(bound - objective) / max(|bound|, 1)")
    seconds: float


class BaselineReport(PlanStats, Scored):
    """The greedy baseline on the same input."""


class SolverReport(Scored):
    """How the plan was found and what is proven about it (``Plan.solver``)."""

    solver: str
    method: str = Field(description="how the optimised plan was built")
    returned: Literal["optimised", "greedy"] = Field(description="the better of the two is returned")
    status: Literal["optimal", "feasible"] = Field(
        description="optimal: no valid timetable of the input is better (to the tolerance); else feasible")
    status_text: str
    time_limit: float
    seed: int
    stopped: str = Field(description="what ended the search: bound reached, proof, work limit (deterministic), "
                         "no gain in N rounds, or time limit (then a rerun may give another plan)")
    buyer_shortfall: int
    supplier_shortfall: int
    shortfall_penalty: float
    bound: float = Field(description="upper bound on the objective of every valid timetable of the input")
    bound_method: str
    bound_covers: str
    tolerance: float = Field(description="values are handled in millionths: the proof holds to this much")
    pairs: int = Field(description="pairs that may meet (the bound covers all of them)")
    candidate_pairs: int = Field(description="pairs the large-fair search prefers")
    greedy: BaselineReport
