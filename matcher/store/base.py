"""The one persistence layer: every SQL statement of the project is in this package.

Records are stored as the JSON of their pydantic model (one schema everywhere), beside a few
plain columns used for listing and filtering. One :class:`Store` wraps one connection: the CLI
opens one, the web app one per HTTP request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from matcher.store.db import connect, now
from matcher.store.fairs import FairRepository
from matcher.store.jobs import JobRepository
from matcher.store.keys import KeyRepository
from matcher.store.market import MarketRepository
from matcher.store.meetings import MeetingRepository
from matcher.store.notifications import NotificationRepository
from matcher.store.records import RecordRepository
from matcher.store.sessions import SessionRepository
from matcher.store.vectors import VectorRepository

__all__ = ["Store", "now"]


class Store(RecordRepository, VectorRepository, KeyRepository, FairRepository, MarketRepository, JobRepository,
            SessionRepository, MeetingRepository, NotificationRepository):
    """Suppliers, requests, the embedding cache, API keys, fair plans and outcomes, the audit trail,
    background jobs, page sessions, meeting requests and notifications in one database: a SQLite file
    or ``postgresql://…``.

    ``migrate=True`` (default) applies missing schema migrations first; the web app migrates once
    at start-up and opens its per-request stores with ``migrate=False``.
    """

    def __init__(self, path: str | Path, migrate: bool = True) -> None:
        self.path = str(path)
        self.db = connect(path)
        if migrate:
            self.db.migrate()

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all (nesting joins the outer one)."""
        with self.db.transaction():
            yield
