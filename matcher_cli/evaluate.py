"""``matcher evaluate``, ``compare`` and ``tune``: evaluators' commands."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click
from click.core import ParameterSource

from matcher.engine import Engine
from matcher.errors import InputError
from matcher.evaluation.data import load_no_match, load_qrels, load_twins, read_run, write_run
from matcher.evaluation.runs import (
    RANKING_METRICS,
    Context,
    SystemResult,
    compare,
    evaluate_run,
    load_context,
    sensitivity,
    weighted_run,
)
from matcher.factors import registry
from matcher.io.importer import load_requests
from matcher.profiles import check_weights, save_profile
from matcher.schema import parse_weights

from .common import SAMPLE_DIR, engine_for, json_option

EVAL_DIR = SAMPLE_DIR / "eval"


def _judgments(f):  # type: ignore[no-untyped-def]
    options = [
        click.option("--requests", "requests_file", default=str(SAMPLE_DIR / "requests.jsonl"), show_default=True,
                     type=click.Path(dir_okay=False), help="Buyer requests (JSON, JSONL, CSV or XLSX)."),
        click.option("--qrels", default=str(EVAL_DIR / "qrels.tsv"), show_default=True,
                     type=click.Path(dir_okay=False), help="Graded judgments TSV."),
        click.option("--twins", default=str(EVAL_DIR / "twins.tsv"), show_default=True,
                     type=click.Path(dir_okay=False), help="Same brief in two languages ('' to skip)."),
        click.option("--no-match", "no_match", default=str(EVAL_DIR / "no_match.txt"), show_default=True,
                     type=click.Path(dir_okay=False), help="Requests no supplier can serve ('' to skip)."),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of bootstrap and tests."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _context(engine: Engine, requests_file: str, qrels: str, twins: str, no_match: str) -> tuple[list, Context]:
    requests = load_requests(requests_file)
    ctx = load_context(engine, requests, load_qrels(qrels), load_twins(twins) if twins else None,
                       load_no_match(no_match) if no_match else None)
    return requests, ctx


def _line(r: SystemResult) -> str:
    lo, hi = r.ci["ndcg10"]
    stab = "-" if r.stability is None else f"{r.stability:.2f}"
    return (f"{r.name[:30]:<30} {r.summary['ndcg10']:.3f} [{lo:.3f},{hi:.3f}]  {r.summary['ndcg5']:.3f}  "
            f"{r.summary['p5']:.3f}  {r.summary['r10']:.3f}  {r.summary['rr']:.3f}  {r.summary['ap']:.3f}  "
            f"{r.violations:>5}  {r.no_match_answered}/{r.no_match_total}  {stab:>5}  {r.coverage:.2f}  "
            f"{r.small_coverage:.2f}  {r.gini:.2f}")


HEADER = (f"{'system':<30} nDCG@10 [95% CI]      nDCG@5 P@5    R@10   MRR    MAP    viol.  no-m  stab.  cov.  "
          "small Gini")


@click.command()
@_judgments
@click.option("--weights", default=None, help="Replace the profile's weights, e.g. 'semantic=1' (others become 0).")
@click.option("--run", "run_file", default=None, type=click.Path(dir_okay=False),
              help="Evaluate this run file (TSV or TREC) instead of the engine.")
@click.option("--baselines", is_flag=True, help="Add random, lexical, embeddings-only, structured-only, ablations.")
@click.option("--backends", default="", help="Other embedders to compare, e.g. 'minilm' (comma-separated).")
@click.option("--report", default=None, type=click.Path(dir_okay=False), help="Write a self-contained HTML report.")
@click.option("--save-run", default=None, type=click.Path(dir_okay=False), help="Write the system's run as TSV.")
@click.option("--per-request", is_flag=True, help="Print one line per request too.")
@json_option
@click.pass_context
def evaluate(ctx: click.Context, requests_file: str, qrels: str, twins: str, no_match: str, seed: int,
             weights: str | None, run_file: str | None, baselines: bool, backends: str, report: str | None,
             save_run: str | None, per_request: bool, as_json: bool) -> None:
    """Score the current profile and embedder against graded judgments, with intervals and baselines."""
    from matcher.evaluation.baselines import suite

    engine = engine_for(ctx)
    requests, context = _context(engine, requests_file, qrels, twins, no_match)
    if run_file:
        run = read_run(run_file)
    elif weights is not None:
        try:
            parsed = parse_weights(weights) or {}
        except ValueError as exc:
            raise InputError(f"--weights: {exc}") from None
        run = weighted_run(context.tables, f"weights {weights}",
                           check_weights({f: parsed.get(f, 0.0) for f in registry.names()}, "--weights"))
    else:
        run = weighted_run(context.tables, f"full [{engine.embedder.name}] {engine.profile.name}@"
                                          f"{engine.profile.version}")
    results = [evaluate_run(run, context, seed)]
    if baselines or backends or report:
        others = [Engine(engine.store, profile=engine.profile, embedder=b.strip())
                  for b in backends.split(",") if b.strip()]
        results += suite([engine, *others], requests, context, seed, ablations=baselines or bool(report))[1:]
    comparisons = {r.name: compare(r, results[0], "ndcg10", seed) for r in results[1:]}
    if save_run:
        write_run(run, save_run)
    if report:
        from matcher.evaluation.report import write_report

        meta = {"profile": f"{engine.profile.name}@{engine.profile.version}", "embedder": engine.embedder.name,
                "requests": requests_file, "qrels": qrels, "judged requests": str(len(context.judged)),
                "suppliers": str(len(context.tables[0].ids) if context.tables else 0)}
        curves = sensitivity(context, engine.profile.weights)
        write_report(report, results, comparisons, curves, context.small, meta)
    if as_json:
        drop = set() if per_request else {"per_request"}
        systems = [{"name": r.name, **r.figures(per_request).model_dump(exclude=drop)} for r in results]
        click.echo(json.dumps({"systems": systems,
                               "paired_vs_first": {k: asdict(v) for k, v in comparisons.items()}}, indent=2))
        return
    if per_request:
        for row in results[0].rows:
            click.echo("\t".join([row["request_id"], row["language"], row["buyer_type"],
                                  *(f"{m}={row[m]:.3f}" for m in RANKING_METRICS)]))
    click.echo(HEADER)
    for r in results:
        click.echo(_line(r))
    if report:
        click.echo(f"report written to {report}", err=True)


@click.command(name="compare")
@click.argument("run_a", type=click.Path(dir_okay=False))
@click.argument("run_b", type=click.Path(dir_okay=False))
@_judgments
@json_option
@click.pass_context
def compare_runs(ctx: click.Context, run_a: str, run_b: str, requests_file: str, qrels: str, twins: str,
                 no_match: str, seed: int, as_json: bool) -> None:
    """Paired comparison of two run files (randomization test and bootstrap interval per metric)."""
    _, context = _context(engine_for(ctx), requests_file, qrels, twins, no_match)
    a, b = (evaluate_run(read_run(p), context, seed) for p in (run_a, run_b))
    rows = [compare(a, b, m, seed) for m in RANKING_METRICS]
    if as_json:
        click.echo(json.dumps([asdict(c) for c in rows], indent=2))
        return
    click.echo(f"A = {a.name}, B = {b.name}, {rows[0].n} judged requests in both")
    for c in rows:
        click.echo(f"{c.metric:<7} A {c.mean_a:.3f}  B {c.mean_b:.3f}  A-B {c.diff:+.3f} "
                   f"[{c.diff_ci[0]:+.3f}, {c.diff_ci[1]:+.3f}]  p={c.p_value:.4f}")


def _command_line(ctx: click.Context) -> str:
    """The command as typed, minus defaults and the local database path (recorded in profiles)."""
    parts = []
    for c in (ctx.parent, ctx):
        if c is None:
            continue
        parts.append("matcher" if c.parent is None else c.info_name or "")
        for param in c.command.params:
            if param.name == "db" or c.get_parameter_source(param.name) == ParameterSource.DEFAULT:
                continue
            value = c.params[param.name]
            flag = param.opts[0]
            parts.append(flag if value is True else f"{flag} {value}")
    return " ".join(parts)


@click.command()
@_judgments
@click.option("--name", default="tuned", show_default=True, help="Profile name to save (a new version each run).")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Cross-validation folds over requests.")
@click.option("--candidates", type=click.IntRange(10, 100_000), default=3000, show_default=True,
              help="Weight vectors tried per search.")
@click.option("--fairness", type=click.FloatRange(0, 10), default=0.0, show_default=True,
              help="Penalty on the exposure Gini in the objective (0: nDCG@10 alone).")
@click.option("--learned", is_flag=True, help="Also cross-validate a learned ranker (gradient boosting).")
@click.option("--dry-run", is_flag=True, help="Report, but do not save the profile.")
@json_option
@click.pass_context
def tune(ctx: click.Context, requests_file: str, qrels: str, twins: str, no_match: str, seed: int, name: str,
         folds: int, candidates: int, fairness: float, learned: bool, dry_run: bool, as_json: bool) -> None:
    """Search factor weights with k-fold cross-validation; save them as a versioned profile."""
    from matcher.evaluation.tuning import tune as run_tuning

    engine = engine_for(ctx)
    requests, context = _context(engine, requests_file, qrels, twins, no_match)
    if len(context.judged) < folds:
        raise InputError(f"--folds {folds}: only {len(context.judged)} judged request(s)")
    outcome = run_tuning(engine, requests, context, name, folds, candidates, fairness, learned, seed,
                         command=_command_line(ctx), embedder=ctx.obj["embedder"])
    path = None if dry_run else save_profile(outcome.profile)
    if as_json:
        click.echo(json.dumps({"profile": outcome.profile.to_json(), "saved": str(path) if path else None,
                               "folds": [asdict(f) for f in outcome.folds]}, indent=2))
        return
    click.echo(f"held-out scores, {folds}-fold cross-validation over {len(context.judged)} judged requests:")
    click.echo(HEADER)
    for r in outcome.results:
        click.echo(_line(r))
    c = outcome.comparison
    click.echo(f"tuned - current: nDCG@10 {c.diff:+.3f} [{c.diff_ci[0]:+.3f}, {c.diff_ci[1]:+.3f}], "
               f"p={c.p_value:.4f} (paired randomization test)")
    click.echo("weights: " + ", ".join(f"{k}={v:g}" for k, v in outcome.profile.weights.items()))
    if path:
        click.echo(f"saved {outcome.profile.name} v{outcome.profile.version} to {Path(path)}; "
                   f"use it with: matcher --profile {outcome.profile.name} ...")
