"""``matcher match``, ``shortlist`` and ``demo``: ranked, explained suppliers for requests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from matcher import distributed, i18n
from matcher.bounds import MAX_TOP_K, SHORTLIST_DEFAULT_TOP_K, SHORTLIST_MIN_SCORE, SHORTLIST_TOP_K
from matcher.consortium.shortlist import consortium_rows
from matcher.distributed import BLOCK_SUPPLIERS
from matcher.exports.shortlist import export, sections, with_nearest
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
@click.option("--requests", "requests_file", default=None, type=click.Path(dir_okay=False),
              help="Buyer requests (JSON, JSONL, CSV or XLSX); default: the requests stored in the database.")
@click.option("--top-k", type=click.IntRange(*SHORTLIST_TOP_K), default=SHORTLIST_DEFAULT_TOP_K, show_default=True,
              help="Suppliers per buyer.")
@click.option("--min-score", type=click.FloatRange(*SHORTLIST_MIN_SCORE), default=SHORTLIST_MIN_SCORE[0],
              show_default=True, help="Leave out suppliers scoring below this (0 to 1): no meeting slot for them.")
@click.option("--lang", type=click.Choice(i18n.locales()), default=i18n.DEFAULT_LOCALE, show_default=True,
              help="Language of headings and statuses.")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="Output .html, .xlsx, .zip (one CSV per table) or .csv (one file per table, side by side).")
@click.option("--dask", "dask_address", default=None, metavar="SCHEDULER",
              help="Score blocks of suppliers on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' "
                   "(a cluster on this machine). Same results as without.")
@click.option("--dask-block", type=click.IntRange(1, 10**7), default=BLOCK_SUPPLIERS, show_default=True,
              help="Suppliers per Dask task.")
@click.pass_context
def shortlist(ctx: click.Context, requests_file: str | None, top_k: int, min_score: float, lang: str,
              out: str, dask_address: str | None, dask_block: int) -> None:
    """Per-buyer and per-supplier shortlists for a B2B fair."""
    engine = engine_for(ctx)
    requests = load_requests(requests_file) if requests_file else engine.store.requests()
    if not requests:
        fail("no requests stored: import them first ('matcher import requests FILE') or give --requests FILE")
    if dask_address:
        with distributed.connect(dask_address) as client:
            def match_all(reqs: list, top_k: int | None = None, include_ineligible: bool = False) -> list:
                return distributed.match_all(engine, reqs, client, top_k, include_ineligible, dask_block)

            results = with_nearest(engine, match_all(requests, top_k=top_k), match_all)
    else:
        results = with_nearest(engine, engine.match_all(requests, top_k=top_k))
    paths = export(results, out, consortium_rows(engine, requests), min_score=min_score, locale=lang)
    no_match = sum(1 for s in sections(results, min_score) if not s.matches)
    click.echo(f"{', '.join(str(p) for p in paths)}: {len(results)} buyer(s), {no_match} without a supplier to meet"
               + (f" at score {min_score:g} or more" if min_score else ""))


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
    paths = export(results, out)
    click.echo(f"\nshortlist written to {', '.join(str(p) for p in paths)} (database {os.path.abspath(ctx.obj['db'])})")
