"""Which database the tests use: SQLite files by default; a real PostgreSQL when MATCHER_TEST_PG is set.

``MATCHER_TEST_PG=postgresql://matcher:matcher@127.0.0.1:5432/matcher_test`` (the Makefile's second
pass) gives every test database its own schema in that cluster, dropped at the end of the session.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

PG = os.environ.get("MATCHER_TEST_PG", "")
_schemas: list[str] = []


def database_url(tmp_path: Path, name: str) -> str:
    """A fresh, empty database for one test: a file under ``tmp_path`` or a new PostgreSQL schema."""
    if not PG:
        return str(tmp_path / name)
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    _schemas.append(schema)
    sep = "&" if "?" in PG else "?"
    return f"{PG}{sep}options=-csearch_path%3D{schema}"


def drop_schemas() -> None:
    if not PG or not _schemas:
        return
    import psycopg

    with psycopg.connect(PG, autocommit=True) as conn:
        for schema in _schemas:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    _schemas.clear()
