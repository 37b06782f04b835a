"""``matcher match``, ``shortlist`` and ``demo``: ranked, explained suppliers for requests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from matcher.bounds import MAX_TOP_K, SHORTLIST_DEFAULT_TOP_K, SHORTLIST_TOP_K
from matcher.consortium.shortlist import consortium_rows
from matcher.exports.shortlist import export
from matcher.io.importer import load_requests

from .common import SAMPLE_DIR, engine_for, fail, json_option, print_result


@click.command()
@click.argument("request_file", type=click.Path(dir_okay=False))
@click.option("--top-k", type=click.IntRange(1, MAX_TOP_K), default=None, help="How many matches (default 10).")
@click.option("--include-ineligible", is_flag=True,
              help="Also list suppliers that make nothing of the requested family, then those missing a must-have.")
@click.option("--save", is_flag=True, help="Store the request and its matches in the database.")
@json_option
@click.pass_context
def match(ctx: click.Context, request_file: str, top_k: int | None, include_ineligible: bool, save: bool,
          as_json: bool) -> None:
    """Rank suppliers for the request in REQUEST_FILE (JSON object); show what was read in it."""
    requests = load_requests(request_file)
    if len(requests) != 1:
        fail(f"{Path(request_file).name}: holds {len(requests)} requests; 'match' takes one (use 'shortlist')")
    engine = engine_for(ctx)
    if save:
        _, result = engine.submit(requests[0], top_k=top_k, include_ineligible=include_ineligible)
    else:
        result = engine.match(requests[0], top_k=top_k, include_ineligible=include_ineligible)
    if as_json:  # the API's MatchResult: interpretation, feasibility, matches or nearest misses
        click.echo(json.dumps(result.model_dump(), ensure_ascii=False, indent=2))
    else:
        print_result(result)


@click.command()
@click.option("--requests", "requests_file", required=True, type=click.Path(dir_okay=False),
              help="Buyer requests (JSON, JSONL, CSV or XLSX).")
@click.option("--top-k", type=click.IntRange(*SHORTLIST_TOP_K), default=SHORTLIST_DEFAULT_TOP_K, show_default=True,
              help="Suppliers per buyer.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Output .csv, .xlsx or .html")
@click.pass_context
def shortlist(ctx: click.Context, requests_file: str, top_k: int, out: str) -> None:
    """Per-buyer and per-supplier shortlists for a B2B fair."""
    requests = load_requests(requests_file)
    engine = engine_for(ctx)
    results = engine.match_all(requests, top_k=top_k)
    path = export(results, out, consortium_rows(engine, requests))
    no_match = sum(1 for _, r in results if not r.matches)
    click.echo(f"{path}: {len(results)} buyer(s), {no_match} without an eligible supplier")


@click.command()
@click.option("--out", default="var/shortlist.html", show_default=True, type=click.Path(dir_okay=False),
              help="Shortlist file to write (.html, .csv or .xlsx).")
@click.option("--top-k", type=click.IntRange(*SHORTLIST_TOP_K), default=3, show_default=True,
              help="Suppliers per request.")
@click.pass_context
def demo(ctx: click.Context, out: str, top_k: int) -> None:
    """Load the sample data on first run, match every sample request, write a shortlist."""
    engine = engine_for(ctx)
    if engine.store.count_suppliers() == 0:
        report = engine.import_file(SAMPLE_DIR / "suppliers.csv", "supplier")
        click.echo(f"first run: {report.summary()}")
    requests = load_requests(str(SAMPLE_DIR / "requests.jsonl"))
    results = engine.match_all(requests, top_k=top_k)
    for request, result in results:
        click.echo(f"\n== {request.request_id} - {request.buyer_name} ({request.buyer_country or '?'}): "
                   f"{request.description[:90]}")
        print_result(result)
    path = export(results, out)
    click.echo(f"\nshortlist written to {path} (database {os.path.abspath(ctx.obj['db'])})")
