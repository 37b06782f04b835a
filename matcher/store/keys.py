"""API key rows: only the SHA-256 digest of a key is ever stored."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matcher.store.db import now

if TYPE_CHECKING:
    from matcher.store.db import Database

KEY_COLUMNS = ("key_id", "role", "buyer", "created_at", "revoked_at")


class KeyRepository:
    db: Database

    def insert_key(self, key_id: str, digest: str, role: str, buyer: str | None) -> None:
        with self.db.transaction():
            self.db.execute("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL)", (key_id, digest, role, buyer, now()))

    def active_key(self, digest: str) -> tuple[str, str, str | None] | None:
        """(key_id, role, buyer) of the unrevoked key with this digest."""
        row = self.db.one("SELECT key_id, role, buyer FROM api_keys WHERE digest = ? AND revoked_at IS NULL",
                          (digest,))
        return (str(row[0]), str(row[1]), row[2]) if row else None

    def active_key_by_id(self, key_id: str) -> tuple[str, str, str | None] | None:
        row = self.db.one("SELECT key_id, role, buyer FROM api_keys WHERE key_id = ? AND revoked_at IS NULL",
                          (key_id,))
        return (str(row[0]), str(row[1]), row[2]) if row else None

    def key_digests(self) -> list[str]:
        return [str(r[0]) for r in self.db.all("SELECT digest FROM api_keys ORDER BY created_at")]

    def keys(self) -> list[dict[str, str | None]]:
        rows = self.db.all(f"SELECT {', '.join(KEY_COLUMNS)} FROM api_keys ORDER BY created_at")
        return [dict(zip(KEY_COLUMNS, r, strict=True)) for r in rows]

    def revoke(self, key_id: str) -> bool:
        """Revoke an active key; False when there is none with this id."""
        with self.db.transaction():
            cur = self.db.execute("UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                                  (now(), key_id))
        return cur.rowcount > 0
