"""The audit trail: who (key id and role) created, changed or deleted which supplier or request, and when.

Rows are written in the same transaction as the change they record, by the store's
:attr:`actor` (the web app sets the caller's key; the CLI is ``(None, "cli")``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matcher.store.db import now

if TYPE_CHECKING:
    from matcher.store.db import Database

AUDIT_COLUMNS = ("entry_id", "at", "key_id", "role", "action", "kind", "record_id", "detail")


class AuditRepository:
    db: Database
    actor: tuple[str | None, str] = (None, "cli")
    audit_detail: str | None = None  # what the next changes are (set around a write that says more than its action)

    def audit(self, action: str, kind: str, ids: list[str], detail: str | None = None) -> None:
        """``detail``: what changed (e.g. the fields a supplier edited), when the action alone does not say."""
        stamp, (key_id, role) = now(), self.actor
        detail = detail if detail is not None else self.audit_detail
        self.db.executemany("INSERT INTO audit_log (at, key_id, role, action, kind, record_id, detail) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(stamp, key_id, role, action, kind, i, detail) for i in ids])

    def audit_entries(self, kind: str | None = None, record_id: str | None = None, limit: int = 100,
                      before: int | None = None) -> list[dict[str, str | int | None]]:
        """Newest first; ``before`` pages back from an entry id."""
        rows = self.db.all(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log WHERE (? IS NULL OR kind = ?) "
                           "AND (? IS NULL OR record_id = ?) AND (? IS NULL OR entry_id < ?) "
                           "ORDER BY entry_id DESC LIMIT ?", (kind, kind, record_id, record_id, before, before, limit))
        return [dict(zip(AUDIT_COLUMNS, r, strict=True)) for r in rows]
