"""SQLite storage for suppliers, requests, embeddings and match results.

Records are stored as the JSON of their pydantic model (one schema
everywhere), beside a few plain columns used for listing and filtering.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from matcher.errors import NotFoundError
from matcher.schema import BuyerRequest, Supplier

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS suppliers (
    supplier_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    cluster TEXT,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (
    request_id TEXT PRIMARY KEY,
    buyer_name TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
);
CREATE TABLE IF NOT EXISTS match_runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL,
    profile TEXT NOT NULL,
    model TEXT NOT NULL,
    created_at TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS match_runs_request ON match_runs (request_id, run_id);
CREATE TABLE IF NOT EXISTS fair_plans (
    plan_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    definition TEXT NOT NULL,
    plan TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meeting_outcomes (
    plan_id TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, meeting_id)
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    buyer TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """One SQLite database file; the schema is created on first use."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.executescript(SCHEMA)
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all (nesting joins the outer one)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    # -- suppliers ---------------------------------------------------------
    def suppliers_version(self) -> int:
        """Bumped on every supplier change, so cached indexes know they are stale."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'suppliers_version'").fetchone()
        return int(row[0]) if row else 0

    def _bump(self) -> None:
        self.conn.execute(
            "INSERT INTO meta VALUES ('suppliers_version', '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def upsert_suppliers(self, suppliers: list[Supplier]) -> tuple[int, int]:
        """Insert or replace by supplier_id; returns (inserted, updated)."""
        now = _now()
        with self.transaction():
            existing = self.existing_ids("supplier", [s.supplier_id for s in suppliers])
            self.conn.executemany(
                "INSERT INTO suppliers VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(supplier_id) DO UPDATE SET "
                "name = excluded.name, country = excluded.country, cluster = excluded.cluster, "
                "data = excluded.data, updated_at = excluded.updated_at",
                [(s.supplier_id, s.name, s.country, s.cluster, s.model_dump_json(), now) for s in suppliers],
            )
            if suppliers:
                self._bump()
        updated = len(existing)
        return len(suppliers) - updated, updated

    def delete_supplier(self, supplier_id: str) -> None:
        with self.transaction():
            cur = self.conn.execute("DELETE FROM suppliers WHERE supplier_id = ?", (supplier_id,))
            if cur.rowcount == 0:
                raise NotFoundError("supplier", supplier_id)
            self._bump()

    def get_supplier(self, supplier_id: str) -> Supplier:
        row = self.conn.execute("SELECT data FROM suppliers WHERE supplier_id = ?", (supplier_id,)).fetchone()
        if row is None:
            raise NotFoundError("supplier", supplier_id)
        return Supplier.model_validate_json(row[0])

    def suppliers(self) -> list[Supplier]:
        rows = self.conn.execute("SELECT data FROM suppliers ORDER BY supplier_id").fetchall()
        return [Supplier.model_validate_json(r[0]) for r in rows]

    def count_suppliers(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM suppliers").fetchone()[0])

    def existing_ids(self, kind: str, ids: list[str]) -> set[str]:
        table, column = ("suppliers", "supplier_id") if kind == "supplier" else ("requests", "request_id")
        found: set[str] = set()
        for start in range(0, len(ids), 500):  # stay under SQLite's variable limit
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT {column} FROM {table} WHERE {column} IN ({marks})"
            found.update(r[0] for r in self.conn.execute(sql, chunk))
        return found

    # -- requests ----------------------------------------------------------
    def upsert_requests(self, requests: list[BuyerRequest]) -> tuple[int, int]:
        now = _now()
        with self.transaction():
            existing = self.existing_ids("request", [str(r.request_id) for r in requests])
            self.conn.executemany(
                "INSERT INTO requests VALUES (?, ?, ?, ?) ON CONFLICT(request_id) DO UPDATE SET "
                "buyer_name = excluded.buyer_name, data = excluded.data",
                [(r.request_id, r.buyer_name, r.model_dump_json(), now) for r in requests],
            )
        return len(requests) - len(existing), len(existing)

    def get_request(self, request_id: str) -> BuyerRequest:
        row = self.conn.execute("SELECT data FROM requests WHERE request_id = ?", (request_id,)).fetchone()
        if row is None:
            raise NotFoundError("request", request_id)
        return BuyerRequest.model_validate_json(row[0])

    def requests(self) -> list[BuyerRequest]:
        rows = self.conn.execute("SELECT data FROM requests ORDER BY created_at, request_id").fetchall()
        return [BuyerRequest.model_validate_json(r[0]) for r in rows]

    # -- embeddings cache --------------------------------------------------
    def get_vectors(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                [model, *chunk],
            )
            out.update((h, np.frombuffer(blob, dtype=np.float32)) for h, blob in rows)
        return out

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
            )

    def count_vectors(self, model: str) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", (model,)).fetchone()[0])

    # -- match results -----------------------------------------------------
    def save_match_run(self, request_id: str, profile: str, model: str, result: dict[str, Any]) -> int:
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO match_runs (request_id, profile, model, created_at, result) VALUES (?, ?, ?, ?, ?)",
                (request_id, profile, model, _now(), json.dumps(result, ensure_ascii=False)),
            )
        return int(cur.lastrowid or 0)

    def latest_match_run(self, request_id: str) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT result FROM match_runs WHERE request_id = ? ORDER BY run_id DESC LIMIT 1", (request_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError("match run for request", request_id)
        return json.loads(row[0])
