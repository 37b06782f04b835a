"""Connections and schema migrations, for SQLite (the embedded default) and PostgreSQL.

``connect(url)`` opens a SQLite file, or PostgreSQL for ``postgresql://…`` (matcher.store.pg).
Migrations are numbered SQL files in ``matcher/store/migrations`` applied in order and
recorded in ``schema_migrations``; ``{blob}`` stands for the dialect's binary type and
``{serial}`` for an auto-numbered primary key. SQL is written with ``?`` placeholders.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

BUSY_TIMEOUT_MS = 10_000  # a writer waits this long for another writer; readers never wait (WAL)
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def now() -> str:
    """The timestamp every table stores: UTC, ISO 8601, seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def is_postgres(url: str | Path) -> bool:
    return str(url).startswith(POSTGRES_SCHEMES)


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, SQL) of every migration, in order."""
    folder = resources.files("matcher.store").joinpath("migrations")
    out = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".sql"):
            number = int(item.name.split("_", 1)[0])
            out.append((number, item.name, item.read_text("utf-8")))
    return out


class Database:
    """One connection in autocommit mode; writes group in :meth:`transaction`. This class: SQLite."""

    dialect = "sqlite"
    types: ClassVar[dict[str, str]] = {"blob": "BLOB", "serial": "INTEGER PRIMARY KEY AUTOINCREMENT"}
    snapshot_begin = "BEGIN"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.conn: Any = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    def sql(self, text: str) -> str:
        return text

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:
        return self.conn.execute(self.sql(sql), params)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> int:
        """Run ``sql`` once per row; returns how many rows it changed."""
        if not rows:
            return 0
        before = self.conn.total_changes
        self.conn.executemany(self.sql(sql), rows)
        return int(self.conn.total_changes - before)

    def one(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> tuple[Any, ...] | None:
        row = self.execute(sql, params).fetchone()
        return tuple(row) if row is not None else None

    def all(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.execute(sql, params).fetchall()]

    def notify(self, channel: str, payload: str) -> None:
        """Tell other processes that something changed (PostgreSQL); SQLite readers poll a counter."""

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

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
        self.begin()
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

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one state of the database (a deferred transaction: writers go on)."""
        if self._depth:
            yield
            return
        self.conn.execute(self.snapshot_begin)
        self._depth = 1
        try:
            yield
        finally:
            self._depth = 0
            self.conn.execute("COMMIT")

    def lock_migrations(self) -> None:
        """Serialise concurrent migrators (SQLite: BEGIN IMMEDIATE already does)."""

    def migrate(self) -> list[str]:
        """Apply the migrations this database lacks; returns their names."""
        if self.dialect == "sqlite" and self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode=WAL")  # persistent: readers never wait for a writer
        with self.transaction():
            self.lock_migrations()
            self.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                         "(number INTEGER PRIMARY KEY, name TEXT NOT NULL)")
            done = {r[0] for r in self.all("SELECT number FROM schema_migrations")}
            applied = []
            for number, name, sql in migrations():
                if number in done:
                    continue
                for statement in _statements(sql):
                    for name_, type_ in self.types.items():
                        statement = statement.replace("{" + name_ + "}", type_)
                    self.conn.execute(statement)
                self.execute("INSERT INTO schema_migrations VALUES (?, ?)", (number, name))
                applied.append(name)
        return applied

    def pending(self) -> list[str]:
        """Migrations this database lacks (without applying them)."""
        try:
            done = {r[0] for r in self.all("SELECT number FROM schema_migrations")}
        except Exception:  # no table yet: a new database
            done = set()
        return [name for number, name, _ in migrations() if number not in done]


def connect(url: str | Path) -> Database:
    """A SQLite file, or PostgreSQL for a ``postgresql://`` URL."""
    if is_postgres(url):
        from matcher.store.pg import PgDatabase

        return PgDatabase(str(url))
    return Database(url)


def _statements(sql: str) -> list[str]:
    """The statements of a migration file (no ';' inside the project's SQL literals)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
