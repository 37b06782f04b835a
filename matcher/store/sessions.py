"""Server-side page sessions: the cookie holds an opaque id; only its SHA-256 digest is stored."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matcher.store.db import Database


class SessionRepository:
    db: Database

    def load_session(self, digest: str, stamp: float) -> dict[str, Any] | None:
        """The data of an unexpired session whose key (if signed in) is still active."""
        row = self.db.one("SELECT s.data FROM web_sessions s LEFT JOIN api_keys k ON k.key_id = s.key_id "
                          "WHERE s.digest = ? AND s.expires_at > ? AND (s.key_id IS NULL OR "
                          "(k.key_id IS NOT NULL AND k.revoked_at IS NULL))", (digest, stamp))
        return json.loads(row[0]) if row else None

    def save_session(self, digest: str, data: dict[str, Any], key_id: str | None, expires_at: float) -> None:
        self.db.execute("INSERT INTO web_sessions VALUES (?, ?, ?, ?) ON CONFLICT(digest) DO UPDATE SET "
                        "data = excluded.data, key_id = excluded.key_id, expires_at = excluded.expires_at",
                        (digest, json.dumps(data), key_id, expires_at))

    def delete_session(self, digest: str) -> None:
        self.db.execute("DELETE FROM web_sessions WHERE digest = ?", (digest,))

    def purge_sessions(self, stamp: float) -> int:
        """Forget expired sessions and those of revoked keys."""
        cur = self.db.execute("DELETE FROM web_sessions WHERE expires_at <= ? OR key_id IN "
                              "(SELECT key_id FROM api_keys WHERE revoked_at IS NOT NULL)", (stamp,))
        return int(cur.rowcount)
