"""PostgreSQL through psycopg 3: the deployment store (``MATCHER_DB=postgresql://…``).

The same SQL as SQLite: ``?`` placeholders become psycopg's ``%s`` (client-side binding, so
``? IS NULL`` works as in SQLite), ``{blob}`` is BYTEA and ``{serial}`` BIGSERIAL. Changes are
announced with NOTIFY inside the writing transaction (delivered at commit); :func:`listen`
gives each server process those notifications.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from matcher.store.db import Database

MIGRATION_LOCK = 7_355_608  # pg_advisory_xact_lock key: one migrator at a time
_PLACEHOLDER = re.compile(r"\?")


class PgDatabase(Database):
    dialect = "postgresql"
    snapshot_begin = "BEGIN ISOLATION LEVEL REPEATABLE READ"
    types: ClassVar[dict[str, str]] = {"blob": "BYTEA", "serial": "BIGSERIAL PRIMARY KEY"}

    def __init__(self, url: str) -> None:
        import psycopg

        self.path = url
        self.conn = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)
        self._depth = 0

    def sql(self, text: str) -> str:
        return _PLACEHOLDER.sub("%s", text.replace("%", "%%"))

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:
        return self.conn.execute(self.sql(sql), tuple(params) if params else None)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> int:
        if not rows:
            return 0
        with self.conn.cursor() as cur:
            cur.executemany(self.sql(sql), rows)
            return max(cur.rowcount, 0)

    def begin(self) -> None:
        self.conn.execute("BEGIN")

    def notify(self, channel: str, payload: str) -> None:
        self.conn.execute("SELECT pg_notify(%s, %s)", (channel, payload))

    def lock_migrations(self) -> None:
        self.conn.execute(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")


def listen(url: str, channels: list[str], on_notify: Callable[[str, str], None],
           stop: Callable[[], bool], timeout: float = 1.0) -> None:
    """Call ``on_notify(channel, payload)`` for every NOTIFY on ``channels`` until ``stop()``."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for channel in channels:
            conn.execute(f"LISTEN {channel}")
        while not stop():
            for note in conn.notifies(timeout=timeout, stop_after=1):
                on_notify(note.channel, note.payload)
