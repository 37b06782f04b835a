"""Fair plans (with the definition they were made from) and meeting outcomes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matcher.errors import NotFoundError
from matcher.fair.definition import FairDefinition
from matcher.fair.model import OutcomeRecord, Plan, PlanSummary, StoredPlan
from matcher.store.db import now

if TYPE_CHECKING:
    from matcher.store.db import Database


class FairRepository:
    db: Database

    def save_plan(self, plan_id: str, fair: FairDefinition, plan: Plan) -> None:
        """Store a plan once: saving the same id again keeps the first (plans are idempotent)."""
        with self.db.transaction():
            self.db.execute("INSERT INTO fair_plans VALUES (?, ?, ?, ?, ?) ON CONFLICT(plan_id) DO NOTHING",
                            (plan_id, plan.fair, now(), fair.model_dump_json(), plan.model_dump_json()))

    def get_plan(self, plan_id: str) -> tuple[FairDefinition, StoredPlan]:
        row = self.db.one("SELECT definition, plan FROM fair_plans WHERE plan_id = ?", (plan_id,))
        if row is None:
            raise NotFoundError("fair plan", plan_id)
        plan = Plan.model_validate_json(row[1])
        stored = StoredPlan(**plan.model_dump(), plan_id=plan_id, outcomes=self.outcomes(plan_id))
        return FairDefinition.model_validate_json(row[0]), stored

    def plans(self) -> list[PlanSummary]:
        rows = self.db.all("SELECT plan_id, name, created_at FROM fair_plans ORDER BY created_at, plan_id")
        return [PlanSummary(plan_id=a, name=b, created_at=c) for a, b, c in rows]

    def outcomes(self, plan_id: str) -> dict[str, OutcomeRecord]:
        rows = self.db.all("SELECT meeting_id, outcome, note, updated_at FROM meeting_outcomes WHERE plan_id = ? "
                           "ORDER BY meeting_id", (plan_id,))
        return {m: OutcomeRecord(outcome=o, note=n, updated_at=u) for m, o, n, u in rows}

    def put_outcomes(self, plan_id: str, rows: list[tuple[str, str, str | None]]) -> None:
        """Set (meeting_id, outcome, note) for each row, all or none."""
        stamp = now()
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO meeting_outcomes VALUES (?, ?, ?, ?, ?) ON CONFLICT(plan_id, meeting_id) "
                "DO UPDATE SET outcome = excluded.outcome, note = excluded.note, updated_at = excluded.updated_at",
                [(plan_id, m, o, n, stamp) for m, o, n in rows])
