"""Each participant's own agenda: their meetings in the newest plan that has any, their calendar, the
outcome they record for each, and how both sides' outcomes become judgments.

A buyer is every request its key's buyer name owns; a supplier is its key's supplier id. Outcomes a
participant records are kept per side (store ``side_outcomes``), apart from the team's. A meeting's
grade comes from the team's outcome when there is one; else from the two sides': the same outcome
gives its grade; two different ones are a *conflict*, reported, and graded by the lower of the two
(a "not held" on either side gives no label).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from matcher.errors import InputError, NotFoundError
from matcher.evaluation.data import Qrels
from matcher.exports.fair import ics
from matcher.fair.model import OUTCOME_GRADES, Meeting, Plan
from matcher.keys import Principal
from matcher.notify import notify
from matcher.store import Store


class AgendaEntry(BaseModel):
    plan_id: str
    meeting_id: str
    start: str
    end: str
    table: int
    counterpart_id: str
    counterpart: str
    why: str
    must: bool = Field(description="a must-meet (an accepted meeting request, or the team's wish)")
    outcome: str | None = Field(default=None, description="what this participant recorded")


class Agenda(BaseModel):
    plan_id: str | None
    fair: str | None
    timezone: str | None
    meetings: list[AgendaEntry]


class Conflict(BaseModel):
    plan_id: str
    meeting_id: str
    request_id: str
    supplier_id: str
    buyer_outcome: str
    supplier_outcome: str


def tell_agendas(store: Store, plan_id: str, plan: Plan) -> None:
    """Tell every buyer and supplier with meetings in ``plan`` that their agenda is there (or changed)."""
    buyers: dict[str, int] = {}
    suppliers: dict[str, int] = {}
    for m in plan.meetings:
        buyers[m.buyer_name] = buyers.get(m.buyer_name, 0) + 1
        suppliers[m.supplier_id] = suppliers.get(m.supplier_id, 0) + 1
    for kind, people in (("buyer", buyers), ("supplier", suppliers)):
        for who, n in sorted(people.items()):
            notify(store, kind, who, "agenda", {"fair": plan.fair, "meetings": n, "plan_id": plan_id})


def _mine(store: Store, who: Principal, meetings: list[Meeting]) -> list[Meeting]:
    if who.role == "supplier":
        return [m for m in meetings if m.supplier_id == who.supplier]
    if who.role == "buyer":
        return [m for m in meetings if m.buyer_name == who.buyer and store.request_owner(m.request_id) == who.buyer]
    return []


def side(who: Principal) -> str:
    if who.role not in ("buyer", "supplier"):
        raise InputError(f"only buyers and suppliers have their own agenda (this key is {who.role})")
    return who.role


def agenda(store: Store, who: Principal) -> Agenda:
    """The caller's meetings in the newest plan that gives them any."""
    mine_side = side(who)
    for summary in reversed(store.plans()):
        fair, plan = store.get_plan(summary.plan_id)
        mine = _mine(store, who, plan.meetings)
        if not mine:
            continue
        recorded = store.side_outcomes(summary.plan_id)
        entries = [AgendaEntry(
            plan_id=summary.plan_id, meeting_id=m.meeting_id, start=m.start, end=m.end, table=m.table,
            counterpart_id=m.supplier_id if mine_side == "buyer" else m.request_id,
            counterpart=m.supplier_name if mine_side == "buyer" else m.buyer_name, why=m.why, must=m.must,
            outcome=(recorded.get((m.meeting_id, mine_side)) or (None,))[0]) for m in mine]
        return Agenda(plan_id=summary.plan_id, fair=plan.fair, timezone=fair.timezone, meetings=entries)
    return Agenda(plan_id=None, fair=None, timezone=None, meetings=[])


def own_calendar(store: Store, who: Principal, plan_id: str) -> bytes:
    """The caller's .ics for a plan (matcher.exports.fair.ics over their own meetings only)."""
    side(who)
    fair, plan = store.get_plan(plan_id)
    mine = _mine(store, who, plan.meetings)
    if not mine:
        raise NotFoundError("agenda in plan", plan_id)
    own = Plan(**{**plan.model_dump(exclude={"plan_id", "outcomes"}), "meetings": mine})
    ident = mine[0].supplier_id if who.role == "supplier" else None
    if ident is not None:
        return ics(own, ident, fair.timezone, plan.fair)
    # a buyer may hold several requests: one calendar with the meetings of each
    return ics(Plan(**{**own.model_dump(), "meetings": [m.model_copy(update={"request_id": "buyer"}) for m in mine]}),
               "buyer", fair.timezone, plan.fair)


def record_own_outcome(store: Store, who: Principal, plan_id: str, meeting_id: str, outcome: str,
                       note: str | None = None) -> None:
    """The caller's outcome of one of its own meetings (another's meeting: not found)."""
    mine_side = side(who)
    if outcome not in OUTCOME_GRADES:
        raise InputError(f"outcome must be one of {', '.join(OUTCOME_GRADES)} (got '{outcome}')")
    _, plan = store.get_plan(plan_id)
    if meeting_id not in {m.meeting_id for m in _mine(store, who, plan.meetings)}:
        raise NotFoundError(f"meeting of yours in plan {plan_id}", meeting_id)
    store.put_side_outcome(plan_id, meeting_id, mine_side, outcome, (note or "").strip() or None)


def side_grades(store: Store, plan_id: str) -> tuple[Qrels, list[Conflict]]:
    """Judgments from both sides' outcomes of the meetings the team recorded nothing for, and conflicts."""
    _, plan = store.get_plan(plan_id)
    recorded = store.side_outcomes(plan_id)
    qrels: Qrels = {}
    conflicts = []
    for m in plan.meetings:
        if m.meeting_id in plan.outcomes:
            continue
        said = {s: recorded[(m.meeting_id, s)][0] for s in ("buyer", "supplier") if (m.meeting_id, s) in recorded}
        if not said:
            continue
        if len(set(said.values())) > 1:
            conflicts.append(Conflict(plan_id=plan_id, meeting_id=m.meeting_id, request_id=m.request_id,
                                      supplier_id=m.supplier_id, buyer_outcome=said["buyer"],
                                      supplier_outcome=said["supplier"]))
        grades = [OUTCOME_GRADES[o] for o in said.values()]
        if any(g is None for g in grades):
            continue
        grade = min(g for g in grades if g is not None)
        judged = qrels.setdefault(m.request_id, {})
        judged[m.supplier_id] = max(grade, judged.get(m.supplier_id, 0))
    return qrels, conflicts
