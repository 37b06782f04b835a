"""Meeting requests between buyers (a stored request) and suppliers, and each side's meeting outcomes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matcher.errors import NotFoundError
from matcher.store.audit import AuditRepository
from matcher.store.db import now

if TYPE_CHECKING:
    from matcher.store.db import Database

MEETING_COLUMNS = ("meeting_request_id", "request_id", "supplier_id", "from_side", "state", "message", "answer",
                   "override", "created_at", "updated_at")
_SELECT = f"SELECT {', '.join(MEETING_COLUMNS)} FROM meeting_requests"


class MeetingRepository(AuditRepository):
    db: Database

    def insert_meeting_request(self, row: dict[str, Any]) -> None:
        marks = ", ".join("?" * len(MEETING_COLUMNS))
        self.db.execute(f"INSERT INTO meeting_requests ({', '.join(MEETING_COLUMNS)}) VALUES ({marks})",
                        tuple(row[c] for c in MEETING_COLUMNS))
        self.audit("create", "meeting_request", [row["meeting_request_id"]], f"{row['from_side']} asked")

    def update_meeting_request(self, meeting_request_id: str, action: str, **changes: Any) -> None:
        """Set ``changes`` (state, answer, override) and stamp the change in the audit trail."""
        sets = ", ".join(f"{k} = ?" for k in changes)
        self.db.execute(f"UPDATE meeting_requests SET {sets}, updated_at = ? WHERE meeting_request_id = ?",
                        (*changes.values(), now(), meeting_request_id))
        detail = ", ".join(f"{k}={v}" for k, v in changes.items() if k != "answer")
        self.audit(action, "meeting_request", [meeting_request_id], detail)

    def get_meeting_request(self, meeting_request_id: str) -> dict[str, Any]:
        row = self.db.one(f"{_SELECT} WHERE meeting_request_id = ?", (meeting_request_id,))
        if row is None:
            raise NotFoundError("meeting request", meeting_request_id)
        return dict(zip(MEETING_COLUMNS, row, strict=True))

    def meeting_requests(self, request_ids: list[str] | None = None, supplier_id: str | None = None,
                         states: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Oldest first; filtered by requests (a buyer's), a supplier and states when given."""
        where, params = [], []
        if request_ids is not None:
            if not request_ids:
                return []
            where.append(f"request_id IN ({', '.join('?' * len(request_ids))})")
            params += request_ids
        if supplier_id is not None:
            where.append("supplier_id = ?")
            params.append(supplier_id)
        if states:
            where.append(f"state IN ({', '.join('?' * len(states))})")
            params += list(states)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self.db.all(f"{_SELECT}{clause} ORDER BY created_at, meeting_request_id", params)
        return [dict(zip(MEETING_COLUMNS, r, strict=True)) for r in rows]

    def expire_meeting_requests(self, before: str) -> list[str]:
        """Mark requests still unanswered when requests closed (``before``, ISO UTC) as expired; their ids."""
        with self.db.transaction():
            ids = [str(r[0]) for r in self.db.all("SELECT meeting_request_id FROM meeting_requests "
                                                  "WHERE state = 'requested' AND created_at <= ?", (before,))]
            for mid in ids:
                self.update_meeting_request(mid, "change", state="expired")
        return ids

    def shares_contact(self, supplier_id: str) -> bool:
        """Did the supplier allow buyers whose meeting it accepted to see its contact e-mail?"""
        row = self.db.one("SELECT share FROM contact_sharing WHERE supplier_id = ?", (supplier_id,))
        return bool(row and row[0])

    def set_contact_sharing(self, supplier_id: str, share: bool) -> None:
        with self.db.transaction():
            self.db.execute("INSERT INTO contact_sharing VALUES (?, ?, ?) ON CONFLICT(supplier_id) DO UPDATE SET "
                            "share = excluded.share, updated_at = excluded.updated_at",
                            (supplier_id, int(share), now()))

    def put_side_outcome(self, plan_id: str, meeting_id: str, side: str, outcome: str, note: str | None) -> None:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO side_outcomes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(plan_id, meeting_id, side) "
                "DO UPDATE SET outcome = excluded.outcome, note = excluded.note, updated_at = excluded.updated_at",
                (plan_id, meeting_id, side, outcome, note, now()))

    def side_outcomes(self, plan_id: str) -> dict[tuple[str, str], tuple[str, str | None, str]]:
        """(meeting_id, side) -> (outcome, note, updated_at)."""
        rows = self.db.all("SELECT meeting_id, side, outcome, note, updated_at FROM side_outcomes WHERE plan_id = ? "
                           "ORDER BY meeting_id, side", (plan_id,))
        return {(m, s): (o, n, u) for m, s, o, n, u in rows}
