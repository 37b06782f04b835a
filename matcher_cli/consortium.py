"""``matcher consortium``: groups of workshops that together can fill an order no single one can."""

from __future__ import annotations

from pathlib import Path

import click

from matcher.bounds import (
    CONSORTIUM_DEFAULT_MEMBERS,
    CONSORTIUM_DEFAULT_TIME_LIMIT,
    CONSORTIUM_MEMBERS,
    CONSORTIUM_TIME_LIMIT,
)
from matcher.consortium import ConsortiumResult, consortia
from matcher.io.importer import load_requests

from .common import engine_for, fail, json_option


def print_consortia(result: ConsortiumResult) -> None:
    click.echo(result.message)
    for g in result.groups:
        proof = "optimal" if g.status == "optimal" else f"feasible, gap {g.gap:.2%}"
        click.echo(f"\n{g.rank}. {g.text}")
        click.echo(f"   value {g.value:.4f} (bound {g.bound:.4f}, {proof}); quantity-weighted score {g.quality:.4f}")
        for m in g.members:
            lead = "  [lead]" if m.lead else ""
            click.echo(f"   - {m.name} ({m.supplier_id}): {m.allocated} of {m.capacity}, minimum {m.min_order}, "
                       f"score {m.score:.3f}{lead}")
        for r in g.reasons[2:]:
            if r.kind in ("shared_material", "shared_technique"):
                click.echo(f"   {r.text}")
    for r in result.reasons[1:]:
        click.echo(f"  - {r.text}")
    for note in result.notes:
        click.echo(f"\n{note}")


@click.command()
@click.argument("request_file", type=click.Path(dir_okay=False))
@click.option("--max-members", type=click.IntRange(*CONSORTIUM_MEMBERS), default=CONSORTIUM_DEFAULT_MEMBERS,
              show_default=True, help="Most workshops in one group (K).")
@click.option("--require-lead", is_flag=True, help="Every group needs a member that has exported before.")
@click.option("--time-limit", type=click.FloatRange(*CONSORTIUM_TIME_LIMIT), default=CONSORTIUM_DEFAULT_TIME_LIMIT,
              show_default=True, help="Seconds the solver may search for each group.")
@json_option
@click.pass_context
def consortium(ctx: click.Context, request_file: str, max_members: int, require_lead: bool, time_limit: float,
               as_json: bool) -> None:
    """Groups of 2 to K workshops that together can deliver the request in REQUEST_FILE (JSON object)."""
    requests = load_requests(request_file)
    if len(requests) != 1:
        fail(f"{Path(request_file).name}: holds {len(requests)} requests; 'consortium' takes one")
    result = consortia(engine_for(ctx), requests[0], max_members=max_members, require_lead=require_lead,
                       time_limit=time_limit)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
    else:
        print_consortia(result)
