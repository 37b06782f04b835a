"""``matcher serve`` (waitress, not Flask's development server) and ``matcher keys``."""

from __future__ import annotations

import json

import click

from matcher.engine import Engine
from matcher.keys import ROLES, create_key, list_keys, revoke_key

from .common import Group, engine_for, json_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface; 0.0.0.0 to listen on all.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP port.")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Worker threads serving requests.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int) -> None:
    """Serve the JSON API and the web pages on a production WSGI server."""
    import waitress

    from api import create_app

    app = create_app({"DATABASE": ctx.obj["db"], "PROFILE": ctx.obj["profile"], "EMBEDDER": ctx.obj["embedder"],
                      "THREADS": ctx.obj["threads"]})
    r = app.extensions["matcher"]
    store = r.open_store()
    engine = Engine(store, profile=r.profile, embedder=r.embedder, indexes=r.indexes)
    engine.index()  # embed suppliers now, not on the first request
    store.close()
    click.echo(f"serving on http://{host}:{port}/ (database {ctx.obj['db']}, profile {engine.profile.name}, "
               f"model {engine.embedder.name})", err=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="artisan-matcher")


@click.group(cls=Group)
def keys() -> None:
    """Create, list and revoke API keys (stored hashed)."""


@keys.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the key may do.")
@click.option("--buyer", default=None, help="For buyer keys: the buyer_name this key speaks for.")
@json_option
@click.pass_context
def keys_create(ctx: click.Context, role: str, buyer: str | None, as_json: bool) -> None:
    """Create a key and print it once (only its SHA-256 digest is stored)."""
    principal, token = create_key(engine_for(ctx).store, role, buyer)
    if as_json:
        click.echo(json.dumps({"key_id": principal.key_id, "role": role, "buyer": principal.buyer, "key": token}))
        return
    click.echo(token)
    click.echo(f"key {principal.key_id} ({role}{', ' + principal.buyer if principal.buyer else ''}); "
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
        click.echo(f"{r['key_id']}\t{r['role']}\t{r['buyer'] or '-'}\t{r['created_at']}\t{state}")


@keys.command("revoke")
@click.argument("key_id")
@click.pass_context
def keys_revoke(ctx: click.Context, key_id: str) -> None:
    """Revoke the key KEY_ID: it stops working at once."""
    revoke_key(engine_for(ctx).store, key_id)
    click.echo(f"key {key_id} revoked")
