"""``matcher fair``: plan a B2B fair, record meeting outcomes, turn them into judgments."""

from __future__ import annotations

import json
from pathlib import Path

import click

from matcher.bounds import FAIR_DEFAULT_TIME_LIMIT, FAIR_TIME_LIMIT
from matcher.evaluation.data import write_qrels
from matcher.exports.fair import write_plan
from matcher.fair.agendas import tell_agendas
from matcher.fair.definition import load_fair
from matcher.fair.model import OUTCOME_GRADES
from matcher.fair.outcomes import import_outcomes, outcome_qrels, record_outcome, save_plan
from matcher.fair.plan import plan_fair
from matcher.fair.requested import with_meeting_requests

from .common import Group, engine_for, json_option


@click.group(name="fair", cls=Group)
def fair_group() -> None:
    """B2B fair meeting plans and their outcomes."""


@fair_group.command("plan")
@click.argument("fair_file", type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for the plan and its exports.")
@click.option("--time-limit", type=click.FloatRange(*FAIR_TIME_LIMIT), default=FAIR_DEFAULT_TIME_LIMIT,
              show_default=True, help="Seconds the planner may search.")
@click.option("--seed", type=int, default=0, show_default=True, help="Solver seed (same input and seed, same plan).")
@json_option
@click.pass_context
def fair_plan(ctx: click.Context, fair_file: str, out: str, time_limit: float, seed: int, as_json: bool) -> None:
    """Plan the meetings of FAIR_FILE (YAML or JSON) and write grid, agendas and calendars to --out."""
    engine = engine_for(ctx)
    fair, requested = with_meeting_requests(engine.store, load_fair(fair_file))
    plan = plan_fair(engine, fair, time_limit, seed, file=Path(fair_file).name)
    plan.notes = [*plan.notes, *requested]
    with engine.store.transaction():
        plan_id = save_plan(engine.store, fair, plan)
        tell_agendas(engine.store, plan_id, plan)
    files = write_plan(plan, out, fair.tables, fair.timezone)
    if as_json:
        click.echo(json.dumps({"plan_id": plan_id, "stats": plan.stats, "solver": plan.solver,
                               "notes": plan.notes, "files": [str(f) for f in files]}, indent=2, ensure_ascii=False))
        return
    s, g, st = plan.solver, plan.solver["greedy"], plan.stats
    per_s, per_b = st["meetings_per_supplier"], st["meetings_per_buyer"]
    click.echo(f"plan {plan_id}: {st['meetings']} meetings, value {st['total_value']}, "
               f"meetings per supplier min/median/max {per_s['min']}/{per_s['median']}/{per_s['max']}, "
               f"below target {st['suppliers_below_target']:.0%}, mutual wishes met {st['mutual_wishes_met']}")
    click.echo(f"buyers: meetings min/median/max {per_b['min']}/{per_b['median']}/{per_b['max']}, "
               f"below target {st['buyers_below_target']:.0%}, without a meeting {st['buyers_without_meeting']}; "
               f"suppliers without a meeting {st['suppliers_without_meeting']}")
    click.echo(f"objective {s['objective']} = value {s['value']} - {s['shortfall_penalty']:g} x {s['shortfall']} "
               f"meeting(s) short of targets (buyers {s['buyer_shortfall']}, suppliers {s['supplier_shortfall']})")
    click.echo(f"solver: {s['status_text']}; gap {s['gap']:.2%}; stopped: {s['stopped']}; {s['seconds']} s")
    click.echo(f"bound {s['bound']} covers {s['bound_covers']} ({s['bound_method']})")
    click.echo(f"greedy baseline: objective {g['objective']} (value {g['value']}, {g['shortfall']} meeting(s) "
               f"short of targets), gap {g['gap']:.2%}; returned the {s['returned']} plan")
    for note in plan.notes:
        click.echo(f"note: {note}")
    click.echo(f"{len(files)} files written to {out}")


@fair_group.command("list")
@click.pass_context
def fair_list(ctx: click.Context) -> None:
    """Stored plans."""
    for p in engine_for(ctx).store.plans():
        click.echo(f"{p.plan_id}\t{p.created_at}\t{p.name}")


@fair_group.command("outcome")
@click.argument("plan_id")
@click.argument("meeting_id", required=False)
@click.argument("outcome", required=False, type=click.Choice(list(OUTCOME_GRADES)))
@click.option("--note", default=None, help="Free text kept with the outcome.")
@click.option("--file", "csv_file", default=None, type=click.Path(dir_okay=False),
              help="CSV of meeting_id, outcome, note: all rows or none.")
@click.pass_context
def fair_outcome(ctx: click.Context, plan_id: str, meeting_id: str | None, outcome: str | None, note: str | None,
                 csv_file: str | None) -> None:
    """Record what came of a meeting (or of every meeting in --file)."""
    store = engine_for(ctx).store
    if csv_file:
        n = import_outcomes(store, plan_id, csv_file)
        click.echo(f"{n} outcome(s) recorded for {plan_id}")
        return
    if not (meeting_id and outcome):
        raise click.UsageError("give MEETING_ID and OUTCOME, or --file")
    record_outcome(store, plan_id, meeting_id, outcome, note)
    click.echo(f"{plan_id} {meeting_id}: {outcome}")


@fair_group.command("qrels")
@click.option("--plan", "plan_id", default=None, help="One plan (default: every stored plan).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Judgments TSV to write.")
@click.pass_context
def fair_qrels(ctx: click.Context, plan_id: str | None, out: str) -> None:
    """Write recorded outcomes as graded judgments (TSV) for evaluate and tune."""
    qrels = outcome_qrels(engine_for(ctx).store, plan_id)
    write_qrels(qrels, out)
    n = sum(len(v) for v in qrels.values())
    click.echo(f"{out}: {n} judgment(s) over {len(qrels)} request(s)")
