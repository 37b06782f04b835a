"""API key rows: only the SHA-256 digest of a key is ever stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matcher.store.db import now

if TYPE_CHECKING:
    from matcher.store.db import Database

KEY_COLUMNS = ("key_id", "role", "buyer", "supplier", "email", "created_at", "revoked_at")
PRINCIPAL = "key_id, role, buyer, supplier, email"


class KeyRepository:
    db: Database

    def insert_key(self, key_id: str, digest: str, role: str, buyer: str | None, supplier: str | None = None,
                   email: str | None = None) -> None:
        with self.db.transaction():
            self.db.execute("INSERT INTO api_keys (key_id, digest, role, buyer, supplier, email, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", (key_id, digest, role, buyer, supplier, email, now()))

    def active_key(self, digest: str) -> tuple[Any, ...] | None:
        """(key_id, role, buyer, supplier, email) of the unrevoked key with this digest."""
        return self.db.one(f"SELECT {PRINCIPAL} FROM api_keys WHERE digest = ? AND revoked_at IS NULL", (digest,))

    def active_key_by_id(self, key_id: str) -> tuple[Any, ...] | None:
        return self.db.one(f"SELECT {PRINCIPAL} FROM api_keys WHERE key_id = ? AND revoked_at IS NULL", (key_id,))

    def key_emails(self, role: str, subject: str) -> list[str]:
        """E-mail addresses given with the active keys of a buyer (role buyer) or a supplier (role supplier)."""
        column = "buyer" if role == "buyer" else "supplier"
        rows = self.db.all(f"SELECT DISTINCT email FROM api_keys WHERE role = ? AND {column} = ? "
                           "AND revoked_at IS NULL AND email IS NOT NULL ORDER BY email", (role, subject))
        return [str(r[0]) for r in rows]

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
