"""Stored fair plans and what happened at each meeting, turned into relevance labels.

Grades follow ``OUTCOME_GRADES`` (matcher.fair.model): agreement 3, cooperation possible 2,
follow-up 1, no interest 0, not held: no label.
"""

from __future__ import annotations

import csv
from pathlib import Path

from matcher.errors import FieldProblem, FileFormatError, InputError, NotFoundError, RecordError
from matcher.evaluation.data import Qrels
from matcher.fair.definition import FairDefinition
from matcher.fair.model import OUTCOME_GRADES, Plan
from matcher.store import Store
from matcher.textnorm import text_hash


def save_plan(store: Store, fair: FairDefinition, plan: Plan) -> str:
    """Store a plan with its definition; the id comes from the input alone, so re-planning is idempotent.

    The id is the start of ``plan.input_hash`` (``matcher.fair.plan.input_hash``: planner version,
    definition, scores, time limit, seed); a plan made without one (built by hand) is identified by
    its definition and meetings. The store keeps the first plan saved under an id.
    """
    key = plan.input_hash or text_hash(fair.model_dump_json() + "".join(m.model_dump_json() for m in plan.meetings))
    plan_id = "fair-" + key[:10]
    store.save_plan(plan_id, fair, plan)
    return plan_id


def _meeting_ids(store: Store, plan_id: str) -> set[str]:
    return {m.meeting_id for m in store.get_plan(plan_id)[1].meetings}


def _check(plan_id: str, meeting_ids: set[str], meeting_id: str, outcome: str) -> None:
    if outcome not in OUTCOME_GRADES:
        raise InputError(f"outcome must be one of {', '.join(OUTCOME_GRADES)} (got '{outcome}')")
    if meeting_id not in meeting_ids:
        raise NotFoundError(f"meeting in plan {plan_id}", meeting_id)


def record_outcome(store: Store, plan_id: str, meeting_id: str, outcome: str, note: str | None = None) -> None:
    """Set (or update, e.g. to 'agreement' months later) what came of one meeting."""
    _check(plan_id, _meeting_ids(store, plan_id), meeting_id, outcome)
    store.put_outcomes(plan_id, [(meeting_id, outcome, note)])


def import_outcomes(store: Store, plan_id: str, path: str | Path) -> int:
    """CSV with meeting_id, outcome[, note]: every row valid, or nothing is written (RecordError lists all)."""
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(str(path), "file not found")
    rows = list(csv.DictReader(path.read_text("utf-8-sig").splitlines()))
    if not rows or not {"meeting_id", "outcome"} <= set(rows[0]):
        raise FileFormatError(path.name, "header must include meeting_id and outcome (and optionally note)")
    problems = []
    known = _meeting_ids(store, plan_id)
    for number, row in enumerate(rows, start=2):
        try:
            _check(plan_id, known, (row["meeting_id"] or "").strip(), (row["outcome"] or "").strip())
        except (InputError, NotFoundError) as exc:
            field = "outcome" if isinstance(exc, InputError) else "meeting_id"
            problems.append(FieldProblem(field, str(exc), number, path.name))
    if problems:
        raise RecordError(problems)
    store.put_outcomes(plan_id, [(r["meeting_id"].strip(), r["outcome"].strip(), (r.get("note") or "").strip() or None)
                                 for r in rows])
    return len(rows)


def outcome_qrels(store: Store, plan_id: str | None = None) -> Qrels:
    """Graded judgments (request -> supplier -> grade) from recorded outcomes; the best grade wins.

    The team's outcome of a meeting counts; for a meeting it recorded nothing for, the participants'
    own outcomes do (matcher.fair.agendas.side_grades: the lower grade when the two sides differ)."""
    from matcher.fair.agendas import side_grades

    plans = [plan_id] if plan_id else [p.plan_id for p in store.plans()]
    qrels: Qrels = {}
    for pid in plans:
        for rid, graded in side_grades(store, pid)[0].items():
            judged = qrels.setdefault(rid, {})
            for sid, side_grade in graded.items():
                judged[sid] = max(side_grade, judged.get(sid, 0))
        _, plan = store.get_plan(pid)
        meetings = {m.meeting_id: m for m in plan.meetings}
        for mid, o in plan.outcomes.items():
            grade = OUTCOME_GRADES[o.outcome]
            if grade is None:
                continue
            m = meetings[mid]
            judged = qrels.setdefault(m.request_id, {})
            judged[m.supplier_id] = max(grade, judged.get(m.supplier_id, 0))
    return qrels
