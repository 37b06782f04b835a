"""Notifications: one row per message to a buyer or a supplier, read in the app and, when an address is
known, e-mailed from this outbox (state pending until the SMTP server took it; retried with back-off)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matcher.store.db import now

if TYPE_CHECKING:
    from matcher.store.db import Database

NOTIFICATION_COLUMNS = ("notification_id", "recipient_kind", "recipient", "event", "params", "created_at", "read_at",
                        "email", "email_state", "attempts", "next_attempt", "last_error", "sent_at")
_SELECT = f"SELECT {', '.join(NOTIFICATION_COLUMNS)} FROM notifications"


def _rows(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(NOTIFICATION_COLUMNS, r, strict=True)) for r in rows]


class NotificationRepository:
    db: Database

    def add_notification(self, recipient_kind: str, recipient: str, event: str, params: str,
                         emails: list[str]) -> None:
        """One in-app notification; one outbox row per address (pending), or one without e-mail."""
        stamp = now()
        addresses: list[str | None] = list(emails) or [None]
        self.db.executemany(
            "INSERT INTO notifications (recipient_kind, recipient, event, params, created_at, email, email_state, "
            "attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            [(recipient_kind, recipient, event, params, stamp, e, "pending" if e else "none") for e in addresses])

    def notifications_for(self, recipient_kind: str, recipient: str, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first; one per event (the outbox may hold several addresses for it)."""
        rows = self.db.all(f"{_SELECT} WHERE recipient_kind = ? AND recipient = ? ORDER BY notification_id DESC "
                           "LIMIT ?", (recipient_kind, recipient, limit * 4))
        seen: set[tuple[str, str, str]] = set()
        out = []
        for row in _rows(rows):
            key = (row["event"], row["params"], row["created_at"])
            if key not in seen:
                seen.add(key)
                out.append(row)
        return out[:limit]

    def mark_read(self, recipient_kind: str, recipient: str) -> int:
        with self.db.transaction():
            cur = self.db.execute("UPDATE notifications SET read_at = ? WHERE recipient_kind = ? AND recipient = ? "
                                  "AND read_at IS NULL", (now(), recipient_kind, recipient))
        return max(int(cur.rowcount), 0)

    def due_emails(self, at: float, limit: int = 50) -> list[dict[str, Any]]:
        return _rows(self.db.all(f"{_SELECT} WHERE email_state = 'pending' AND (next_attempt IS NULL OR "
                                 "next_attempt <= ?) ORDER BY notification_id LIMIT ?", (at, limit)))

    def email_sent(self, notification_id: int) -> None:
        with self.db.transaction():
            self.db.execute("UPDATE notifications SET email_state = 'sent', attempts = attempts + 1, sent_at = ?, "
                            "last_error = NULL WHERE notification_id = ?", (now(), notification_id))

    def email_failed(self, notification_id: int, error: str, next_attempt: float) -> None:
        """Still pending: tried again at ``next_attempt`` (a message is never dropped)."""
        with self.db.transaction():
            self.db.execute("UPDATE notifications SET attempts = attempts + 1, last_error = ?, next_attempt = ? "
                            "WHERE notification_id = ?", (error[:500], next_attempt, notification_id))

    def outbox(self, limit: int = 200) -> list[dict[str, Any]]:
        """Every e-mail, newest first, with its delivery state (what the team page shows)."""
        return _rows(self.db.all(f"{_SELECT} WHERE email_state <> 'none' ORDER BY notification_id DESC LIMIT ?",
                                 (limit,)))
