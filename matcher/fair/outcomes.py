"""Stored fair plans and what happened at each meeting, turned into relevance labels.

Outcome -> grade (the rubric of data/eval/README.md, from the buyer's side):
agreement reached 3, cooperation possible 2, follow-up planned 1, no interest 0;
a meeting that did not take place says nothing and gives no label.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from matcher.errors import FieldProblem, FileFormatError, InputError, NotFoundError, RecordError
from matcher.evaluation.data import Qrels
from matcher.fair.definition import FairDefinition
from matcher.fair.plan import Plan
from matcher.store import Store, _now
from matcher.textnorm import text_hash

OUTCOME_GRADES: dict[str, int | None] = {
    "not_held": None,
    "no_interest": 0,
    "follow_up": 1,
    "cooperation_possible": 2,
    "agreement": 3,
}


def save_plan(store: Store, fair: FairDefinition, plan: Plan) -> str:
    """Store a plan with its definition; the id is derived from both, so re-planning the same input is idempotent."""
    definition = fair.model_dump_json()
    body = json.dumps(plan.to_json(), ensure_ascii=False)
    plan_id = "fair-" + text_hash(definition + body)[:10]
    with store.transaction():
        store.conn.execute("INSERT OR IGNORE INTO fair_plans VALUES (?, ?, ?, ?, ?)",
                           (plan_id, plan.fair, _now(), definition, body))
    return plan_id


def load_plan(store: Store, plan_id: str) -> tuple[FairDefinition, dict[str, Any]]:
    row = store.conn.execute("SELECT definition, plan FROM fair_plans WHERE plan_id = ?", (plan_id,)).fetchone()
    if row is None:
        raise NotFoundError("fair plan", plan_id)
    plan = json.loads(row[1])
    plan["plan_id"] = plan_id
    plan["outcomes"] = outcomes(store, plan_id)
    return FairDefinition.model_validate_json(row[0]), plan


def list_plans(store: Store) -> list[dict[str, Any]]:
    rows = store.conn.execute("SELECT plan_id, name, created_at FROM fair_plans ORDER BY created_at, plan_id")
    return [{"plan_id": a, "name": b, "created_at": c} for a, b, c in rows]


def outcomes(store: Store, plan_id: str) -> dict[str, dict[str, str | None]]:
    rows = store.conn.execute("SELECT meeting_id, outcome, note, updated_at FROM meeting_outcomes WHERE plan_id = ?"
                              " ORDER BY meeting_id", (plan_id,))
    return {m: {"outcome": o, "note": n, "updated_at": u} for m, o, n, u in rows}


def _meeting_ids(store: Store, plan_id: str) -> set[str]:
    return {m["meeting_id"] for m in load_plan(store, plan_id)[1]["meetings"]}


def _check(plan_id: str, meeting_ids: set[str], meeting_id: str, outcome: str) -> None:
    if outcome not in OUTCOME_GRADES:
        raise InputError(f"outcome must be one of {', '.join(OUTCOME_GRADES)} (got '{outcome}')")
    if meeting_id not in meeting_ids:
        raise NotFoundError(f"meeting in plan {plan_id}", meeting_id)


def record_outcome(store: Store, plan_id: str, meeting_id: str, outcome: str, note: str | None = None) -> None:
    """Set (or update, e.g. to 'agreement' months later) what came of one meeting."""
    _check(plan_id, _meeting_ids(store, plan_id), meeting_id, outcome)
    _write(store, plan_id, meeting_id, outcome, note)


def _write(store: Store, plan_id: str, meeting_id: str, outcome: str, note: str | None) -> None:
    with store.transaction():
        store.conn.execute("INSERT INTO meeting_outcomes VALUES (?, ?, ?, ?, ?) ON CONFLICT(plan_id, meeting_id) "
                           "DO UPDATE SET outcome = excluded.outcome, note = excluded.note, "
                           "updated_at = excluded.updated_at", (plan_id, meeting_id, outcome, note, _now()))


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
    with store.transaction():
        for row in rows:
            _write(store, plan_id, row["meeting_id"].strip(), row["outcome"].strip(),
                   (row.get("note") or "").strip() or None)
    return len(rows)


def outcome_qrels(store: Store, plan_id: str | None = None) -> Qrels:
    """Graded judgments (request -> supplier -> grade) from recorded outcomes; the best grade wins."""
    plans = [plan_id] if plan_id else [p["plan_id"] for p in list_plans(store)]
    qrels: Qrels = {}
    for pid in plans:
        _, plan = load_plan(store, pid)
        meetings = {m["meeting_id"]: m for m in plan["meetings"]}
        for mid, o in plan["outcomes"].items():
            grade = OUTCOME_GRADES[str(o["outcome"])]
            if grade is None:
                continue
            m = meetings[mid]
            judged = qrels.setdefault(m["request_id"], {})
            judged[m["supplier_id"]] = max(grade, judged.get(m["supplier_id"], 0))
    return qrels
