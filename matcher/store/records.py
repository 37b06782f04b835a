"""Suppliers and buyer requests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from matcher.errors import NotFoundError
from matcher.schema import BuyerRequest, Supplier
from matcher.store.audit import AuditRepository
from matcher.store.db import now

if TYPE_CHECKING:
    from matcher.store.db import Database

_CHUNK = 500  # stay under SQLite's bound-variable limit


SUPPLIERS_CHANNEL = "matcher_suppliers"  # NOTIFY channel (PostgreSQL): the supplier version changed


class RecordRepository(AuditRepository):
    db: Database

    # -- suppliers ---------------------------------------------------------
    def suppliers_version(self) -> int:
        """Bumped on every supplier change, so cached indexes know they are stale."""
        row = self.db.one("SELECT value FROM meta WHERE key = 'suppliers_version'")
        return int(row[0]) if row else 0

    def _bump_suppliers_version(self) -> int:
        cur = self.db.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
                              "WHERE key = 'suppliers_version'")
        if cur.rowcount == 0:
            self.db.execute("INSERT INTO meta VALUES ('suppliers_version', '1')")
        version = self.suppliers_version()
        self.db.notify(SUPPLIERS_CHANNEL, str(version))
        return version

    def upsert_suppliers(self, suppliers: list[Supplier]) -> tuple[int, int]:
        """Insert or replace by supplier_id; returns (inserted, updated). A row whose record is
        unchanged is not written, and when nothing changed the supplier version stays."""
        stamp = now()
        with self.db.transaction():
            existing = self.existing_ids("supplier", [s.supplier_id for s in suppliers])
            version = self.suppliers_version() + 1
            changed = self.db.executemany(
                "INSERT INTO suppliers (supplier_id, name, country, cluster, data, updated_at, revision) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(supplier_id) DO UPDATE SET "
                "name = excluded.name, country = excluded.country, cluster = excluded.cluster, "
                "data = excluded.data, updated_at = excluded.updated_at, revision = excluded.revision "
                "WHERE suppliers.data <> excluded.data",
                [(s.supplier_id, s.name, s.country, s.cluster, s.model_dump_json(), stamp, version)
                 for s in suppliers],
            )
            if changed:
                self._bump_suppliers_version()
                written = [r[0] for r in self.db.all("SELECT supplier_id FROM suppliers WHERE revision = ?",
                                                     (version,))]
                self._audit_upsert("supplier", written, existing)
        inserted = len({s.supplier_id for s in suppliers} - existing)
        return inserted, changed - inserted

    def delete_supplier(self, supplier_id: str) -> None:
        with self.db.transaction():
            cur = self.db.execute("DELETE FROM suppliers WHERE supplier_id = ?", (supplier_id,))
            if cur.rowcount == 0:
                raise NotFoundError("supplier", supplier_id)
            version = self._bump_suppliers_version()
            self.db.execute("INSERT INTO supplier_removals VALUES (?, ?)", (supplier_id, version))
            self.audit("delete", "supplier", [supplier_id])

    def delete_all_suppliers(self) -> int:
        """Empty the catalogue (benchmarks rebuild theirs); returns how many were removed."""
        with self.db.transaction():
            cur = self.db.execute("DELETE FROM suppliers")
            version = self._bump_suppliers_version()
            self.db.execute("DELETE FROM meta WHERE key = 'suppliers_reset'")
            self.db.execute("INSERT INTO meta VALUES ('suppliers_reset', ?)", (str(version),))
            self.audit("delete", "supplier", ["*"])
        return cur.rowcount

    def supplier_changes(self, since: int) -> tuple[list[Supplier], list[str], int] | None:
        """(suppliers written, ids removed, version now) since supplier version ``since``; None
        when the catalogue was emptied since (whoever indexed it starts again)."""
        with self.db.snapshot():  # the rows and the version agree
            version = self.suppliers_version()
            reset = self.db.one("SELECT value FROM meta WHERE key = 'suppliers_reset'")
            if reset is not None and int(reset[0]) > since:
                return None
            rows = self.db.all("SELECT data FROM suppliers WHERE revision > ? ORDER BY supplier_id", (since,))
            removed = [r[0] for r in self.db.all(
                "SELECT DISTINCT supplier_id FROM supplier_removals WHERE revision > ?", (since,))]
        return [Supplier.model_validate_json(r[0]) for r in rows], removed, version

    def _audit_upsert(self, kind: str, ids: list[str], existing: set[str]) -> None:
        self.audit("create", kind, [i for i in ids if i not in existing])
        self.audit("change", kind, [i for i in ids if i in existing])

    def public_columns(self) -> list[str]:
        """Extra sheet columns the team marked public at import (every other extra column is team-only)."""
        row = self.db.one("SELECT value FROM meta WHERE key = 'public_columns'")
        return list(json.loads(row[0])) if row else []

    def set_public_columns(self, names: list[str]) -> None:
        self.db.execute("INSERT INTO meta VALUES ('public_columns', ?) ON CONFLICT(key) DO UPDATE SET "
                        "value = excluded.value", (json.dumps(sorted(set(names)), ensure_ascii=False),))

    def get_supplier(self, supplier_id: str) -> Supplier:
        row = self.db.one("SELECT data FROM suppliers WHERE supplier_id = ?", (supplier_id,))
        if row is None:
            raise NotFoundError("supplier", supplier_id)
        return Supplier.model_validate_json(row[0])

    def suppliers(self) -> list[Supplier]:
        rows = self.db.all("SELECT data FROM suppliers ORDER BY supplier_id")
        return [Supplier.model_validate_json(r[0]) for r in rows]

    def supplier_batches(self, size: int = 20_000) -> Iterator[tuple[list[Supplier], int]]:
        """Every supplier in id order, ``size`` at a time, each batch with the supplier version it
        was read at (keyset pagination: memory stays at one batch)."""
        last = ""
        while True:
            with self.db.snapshot():
                version = self.suppliers_version()
                rows = self.db.all("SELECT supplier_id, data FROM suppliers WHERE supplier_id > ? "
                                   "ORDER BY supplier_id LIMIT ?", (last, size))
            if not rows:
                return
            last = rows[-1][0]
            yield [Supplier.model_validate_json(r[1]) for r in rows], version

    def supplier_blocks(self, size: int) -> list[str]:
        """The first supplier id of every block of ``size`` suppliers, in id order."""
        rows = self.db.all("SELECT supplier_id FROM (SELECT supplier_id, ROW_NUMBER() OVER "
                           "(ORDER BY supplier_id) AS r FROM suppliers) AS numbered WHERE (r - 1) % ? = 0 "
                           "ORDER BY supplier_id", (size,))
        return [r[0] for r in rows]

    def suppliers_between(self, first: str, before: str | None) -> list[Supplier]:
        """Suppliers with ``first`` <= id < ``before`` (None: to the end), in id order."""
        rows = self.db.all("SELECT data FROM suppliers WHERE supplier_id >= ? AND (? IS NULL OR supplier_id < ?) "
                           "ORDER BY supplier_id", (first, before, before))
        return [Supplier.model_validate_json(r[0]) for r in rows]

    def get_suppliers(self, ids: list[str]) -> dict[str, Supplier]:
        """The suppliers of ``ids`` that exist, by id."""
        out: dict[str, Supplier] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for sid, data in self.db.all(f"SELECT supplier_id, data FROM suppliers WHERE supplier_id IN ({marks})",
                                         chunk):
                out[sid] = Supplier.model_validate_json(data)
        return out

    def suppliers_since(self, stamp: str) -> list[tuple[Supplier, str]]:
        """(supplier, updated_at) of the suppliers written at or after ``stamp`` (ISO 8601 UTC)."""
        rows = self.db.all("SELECT data, updated_at FROM suppliers WHERE updated_at >= ?", (stamp,))
        return [(Supplier.model_validate_json(d), str(u)) for d, u in rows]

    def supplier_ids(self) -> list[str]:
        return [str(r[0]) for r in self.db.all("SELECT supplier_id FROM suppliers")]

    def count_suppliers(self) -> int:
        row = self.db.one("SELECT COUNT(*) FROM suppliers")
        return int(row[0]) if row else 0

    def existing_ids(self, kind: str, ids: list[str]) -> set[str]:
        table, column = ("suppliers", "supplier_id") if kind == "supplier" else ("requests", "request_id")
        found: set[str] = set()
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.db.all(f"SELECT {column} FROM {table} WHERE {column} IN ({marks})",
                                                   chunk))
        return found

    # -- requests ----------------------------------------------------------
    def upsert_requests(self, requests: list[BuyerRequest]) -> tuple[int, int]:
        stamp = now()
        with self.db.transaction():
            existing = self.existing_ids("request", [str(r.request_id) for r in requests])
            self.db.executemany(
                "INSERT INTO requests VALUES (?, ?, ?, ?) ON CONFLICT(request_id) DO UPDATE SET "
                "buyer_name = excluded.buyer_name, data = excluded.data",
                [(r.request_id, r.buyer_name, r.model_dump_json(), stamp) for r in requests],
            )
            self._audit_upsert("request", [str(r.request_id) for r in requests], existing)
        return len(requests) - len(existing), len(existing)

    def get_request(self, request_id: str) -> BuyerRequest:
        row = self.db.one("SELECT data FROM requests WHERE request_id = ?", (request_id,))
        if row is None:
            raise NotFoundError("request", request_id)
        return BuyerRequest.model_validate_json(row[0])

    def request_owner(self, request_id: str) -> str | None:
        """The buyer_name of a stored request, or None when there is none."""
        row = self.db.one("SELECT buyer_name FROM requests WHERE request_id = ?", (request_id,))
        return str(row[0]) if row else None

    def requests(self) -> list[BuyerRequest]:
        rows = self.db.all("SELECT data FROM requests ORDER BY created_at, request_id")
        return [BuyerRequest.model_validate_json(r[0]) for r in rows]
