"""``matcher serve`` (waitress, one or several worker processes), ``matcher db`` and ``matcher keys``."""

from __future__ import annotations

import json
from typing import Any

import click

from matcher.engine import Engine
from matcher.keys import ROLES, create_key, list_keys, revoke_key
from matcher.store import Store

from .common import Group, engine_for, json_option
from .database import shown_db


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface; 0.0.0.0 to listen on all.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP port.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Worker threads serving requests (per worker process).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes sharing the port, each with its own index and job runner (use PostgreSQL "
                   "beyond one).")
@click.option("--job-threads", type=click.IntRange(0, 16), default=1, show_default=True,
              help="Background job threads per process (imports, fair plans, evaluation); 0: none here.")
@click.option("--channel-timeout", type=click.IntRange(1, 3600), default=30, show_default=True,
              help="Seconds a connection may stay silent.")
@click.option("--header-timeout", type=click.FloatRange(0.5, 600), default=10.0, show_default=True,
              help="Seconds a client may take to send a request's headers.")
@click.option("--per-client", type=click.IntRange(1, 10_000), default=64, show_default=True,
              help="Open connections allowed from one client address.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int, workers: int, job_threads: int,
          channel_timeout: int, header_timeout: float, per_client: int) -> None:
    """Serve the JSON API and the web pages on waitress (not Flask's development server)."""
    from matcher_web.serving import Limits, make_server, serve_workers

    limits = Limits(threads=threads, channel_timeout=channel_timeout, header_timeout=header_timeout,
                    per_client=per_client)
    config = {"DATABASE": ctx.obj["db"], "PROFILE": ctx.obj["profile"], "EMBEDDER": ctx.obj["embedder"],
              "JOB_THREADS": job_threads, "THREADS": ctx.obj["threads"]}

    def make_app() -> Any:
        from api import create_app

        app = create_app(config)
        r = app.extensions["matcher"]
        store = r.open_store()
        engine = Engine(store, profile=r.profile, embedder=r.embedder, indexes=r.indexes)
        engine.index()  # embed suppliers now, not on the first request
        store.close()
        return app

    Store(ctx.obj["db"]).close()  # migrate once, before any worker starts
    click.echo(f"serving on http://{host}:{port}/ (database {shown_db(ctx.obj['db'])}, {workers} worker(s) x "
               f"{threads} threads)", err=True)
    if workers == 1:
        make_server(make_app(), host, port, limits).run()
    else:
        serve_workers(make_app, host, port, workers, limits)


@click.group(cls=Group)
def keys() -> None:
    """Create, list and revoke API keys (stored hashed)."""


@keys.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the key may do.")
@click.option("--buyer", default=None, help="For buyer keys: the buyer_name this key speaks for.")
@click.option("--supplier", default=None, help="For supplier keys: the supplier_id of the workshop.")
@click.option("--email", default=None, help="Where this key holder's notifications are e-mailed (optional).")
@json_option
@click.pass_context
def keys_create(ctx: click.Context, role: str, buyer: str | None, supplier: str | None, email: str | None,
                as_json: bool) -> None:
    """Create a key and print it once (only its SHA-256 digest is stored)."""
    principal, token = create_key(engine_for(ctx).store, role, buyer, supplier, email)
    if as_json:
        click.echo(json.dumps({"key_id": principal.key_id, "role": role, "buyer": principal.buyer,
                               "supplier": principal.supplier, "key": token}))
        return
    click.echo(token)
    who = principal.buyer or principal.supplier
    click.echo(f"key {principal.key_id} ({role}{', ' + who if who else ''}); "
               "shown once, stored only as a hash", err=True)


@keys.command("list")
@json_option
@click.pass_context
def keys_list(ctx: click.Context, as_json: bool) -> None:
    """Every key: id, role, buyer, created, revoked."""
    rows = list_keys(engine_for(ctx).store)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        state = f"revoked {r['revoked_at']}" if r["revoked_at"] else "active"
        click.echo(f"{r['key_id']}\t{r['role']}\t{r['buyer'] or r['supplier'] or '-'}\t{r['created_at']}\t{state}")


@keys.command("revoke")
@click.argument("key_id")
@click.pass_context
def keys_revoke(ctx: click.Context, key_id: str) -> None:
    """Revoke the key KEY_ID: it stops working at once."""
    revoke_key(engine_for(ctx).store, key_id)
    click.echo(f"key {key_id} revoked")
