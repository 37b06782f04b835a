"""``matcher db upgrade`` / ``status`` (versioned migrations, SQLite or PostgreSQL) and ``matcher audit``."""

from __future__ import annotations

import json
import re

import click

from matcher.store import Store

from .common import Group, engine_for, json_option


def shown_db(url: str) -> str:
    """The database as printed: a PostgreSQL URL without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


@click.group("db", cls=Group)
def db_group() -> None:
    """The database schema: versioned migrations (the same for SQLite and PostgreSQL)."""


def _migrations(ctx: click.Context, apply: bool) -> None:
    store = Store(ctx.obj["db"], migrate=False)
    try:
        names = store.db.migrate() if apply else store.db.pending()
    finally:
        store.close()
    done = ("applied " if apply else "pending ") + ", ".join(names) if names else "up to date"
    click.echo(f"{shown_db(ctx.obj['db'])}: {done}")


@db_group.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply the migrations the database lacks (MATCHER_DB or --db: a file or postgresql://...)."""
    _migrations(ctx, apply=True)


@db_group.command("status")
@click.pass_context
def db_status(ctx: click.Context) -> None:
    """The migrations the database lacks, without applying them."""
    _migrations(ctx, apply=False)


@click.command()
@click.option("--kind", type=click.Choice(["supplier", "request"]), default=None, help="Only suppliers or requests.")
@click.option("--id", "record_id", default=None, help="One supplier_id or request_id.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True, help="Entries to show.")
@json_option
@click.pass_context
def audit(ctx: click.Context, kind: str | None, record_id: str | None, limit: int, as_json: bool) -> None:
    """Who (API key and role) created, changed or deleted suppliers and requests, newest first."""
    rows = engine_for(ctx).store.audit_entries(kind, record_id, limit)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        click.echo(f"{r['at']}\t{r['key_id'] or '-'}\t{r['role']}\t{r['action']}\t{r['kind']}\t{r['record_id']}")
