"""Per-request resources, as flaskr's ``get_db``: a database connection and an engine per request,
around the app-wide parts that are expensive to make (the model, the supplier index, the profile),
the background job runner and, on PostgreSQL, the LISTEN thread that refreshes the index."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app, g

from matcher.engine import Engine
from matcher.index import SupplierIndex
from matcher.jobs.indexing import RefreshingIndexCache
from matcher.jobs.runner import JobEnvironment, JobRunner
from matcher.jobs.tasks import HANDLERS
from matcher.schema import Supplier
from matcher.store import Store
from matcher.store.db import is_postgres
from matcher.store.records import SUPPLIERS_CHANNEL

log = logging.getLogger("matcher.web")
CATALOGUE_MARGIN_S = 60
INDEX_WAIT_S = 5.0  # a writer waits at most this long for the index to include its change


@dataclass
class Resources(JobEnvironment):
    """What every request shares, built once in ``create_app``; also what its background jobs run with."""

    indexes: RefreshingIndexCache = field(default_factory=RefreshingIndexCache)
    runner: JobRunner | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _catalogue: tuple[int, list[Supplier]] = (-1, [])
    _by_id: dict[str, Supplier] = field(default_factory=dict)
    _newest: str = ""
    _catalogue_lock: threading.Lock = field(default_factory=threading.Lock)

    def catalogue(self, store: Store) -> list[Supplier]:
        """Every supplier sorted by id. Parsed once, then only the rows written since (and the deleted
        ones dropped) when the catalogue changes: not every supplier again per request or per edit."""
        version = store.suppliers_version()
        if self._catalogue[0] != version:
            with self._catalogue_lock:
                if self._catalogue[0] != version:
                    self._refresh_catalogue(store, version)
        return self._catalogue[1]

    def _refresh_catalogue(self, store: Store, version: int) -> None:
        if not self._newest:
            rows = store.suppliers_since("")
            self._by_id = {}
        else:  # a write is stamped when its transaction starts: look a minute further back than the newest seen
            since = (datetime.fromisoformat(self._newest) - timedelta(seconds=CATALOGUE_MARGIN_S)).isoformat()
            rows = store.suppliers_since(since)
        for supplier, stamp in rows:
            self._by_id[supplier.supplier_id] = supplier
            self._newest = max(self._newest, stamp)
        if len(self._by_id) != store.count_suppliers():  # some were deleted
            kept = set(store.supplier_ids())
            self._by_id = {k: v for k, v in self._by_id.items() if k in kept}
        self._catalogue = (version, [self._by_id[k] for k in sorted(self._by_id)])

    def __post_init__(self) -> None:
        self.indexes.refresher = self.refresh_index

    def open_store(self) -> Store:
        return Store(self.database, migrate=False)

    def refresh_index(self) -> SupplierIndex:
        """The shared index brought up to date on a connection of its own (in the background, off
        every request: the changed rows are applied to it, the catalogue is not read again)."""
        store = self.open_store()
        try:
            return Engine(store, profile=self.profile, embedder=self.embedder, indexes=self.indexes).index()
        finally:
            store.close()

    def start(self, settings: dict[str, Any], job_threads: int) -> None:
        """Job runner threads and, on PostgreSQL, the LISTEN thread for supplier changes."""
        self.settings = settings
        if job_threads > 0:
            self.runner = JobRunner(self, HANDLERS, threads=job_threads).start()
        if is_postgres(self.database):
            threading.Thread(target=self._listen, daemon=True, name="matcher-listen").start()

    def _listen(self) -> None:
        from matcher.store.pg import listen

        def changed(_channel: str, payload: str) -> None:
            self.indexes.kick(int(payload) if payload.isdigit() else None)

        while not self._stop.is_set():
            try:
                listen(self.database, [SUPPLIERS_CHANNEL], changed, self._stop.is_set)
            except Exception:
                log.exception("LISTEN %s", SUPPLIERS_CHANNEL)
                self._stop.wait(1.0)

    def stop(self) -> None:
        self._stop.set()
        if self.runner is not None:
            self.runner.stop()


def resources() -> Resources:
    return current_app.extensions["matcher"]


def get_db() -> Store:
    """This request's database connection (opened on first use, closed when the request ends)."""
    if "store" not in g:
        g.store = resources().open_store()
    return g.store


def get_engine() -> Engine:
    """This request's engine: its connection, the shared model, profile and index."""
    if "engine" not in g:
        r = resources()
        g.engine = Engine(get_db(), profile=r.profile, embedder=r.embedder, indexes=r.indexes)
    return g.engine


def wait_for_index() -> None:
    """After a supplier change: this (writing) request waits, up to INDEX_WAIT_S, until the index includes
    it (the writer then reads its own change); readers never wait."""
    resources().indexes.wait_for(get_db().suppliers_version(), timeout=INDEX_WAIT_S)


def close_db(_error: BaseException | None = None) -> None:
    store = g.pop("store", None)
    g.pop("engine", None)
    if store is not None:
        store.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
