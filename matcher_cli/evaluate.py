"""``matcher evaluate`` and ``compare``: evaluators' commands (``tune`` and ``profiles``: tuning.py)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click

from matcher.engine import Engine
from matcher.errors import InputError
from matcher.evaluation.data import CONFLICT_RULES, read_run, write_run
from matcher.evaluation.insample import InSample, check_in_sample
from matcher.evaluation.judgments import JudgmentSet, SubsetEvaluation, evaluate_subset, load_judgment_set, load_subset
from matcher.evaluation.runs import RANKING_METRICS, Comparison, SystemResult, compare, evaluate_run, sensitivity
from matcher.factors import registry
from matcher.profiles import check_weights
from matcher.schema import parse_weights

from .common import SAMPLE_DIR, engine_for, json_option

EVAL_DIR = SAMPLE_DIR / "eval"
DEFAULT_REQUESTS = str(SAMPLE_DIR / "requests.jsonl")
NOISY = EVAL_DIR / "noisy"


def judgment_options(f):  # type: ignore[no-untyped-def]
    options = [
        click.option("--requests", "requests_file", default=DEFAULT_REQUESTS, show_default=True,
                     type=click.Path(dir_okay=False), help="Buyer requests (JSON, JSONL, CSV or XLSX)."),
        click.option("--qrels", multiple=True, default=[str(EVAL_DIR / "qrels.tsv")], show_default=True,
                     type=click.Path(dir_okay=False),
                     help="Graded judgments TSV; repeat to append files (conflicting grades: see --on-conflict)."),
        click.option("--on-conflict", "on_conflict", type=click.Choice(CONFLICT_RULES), default="refuse",
                     show_default=True, help="Two grades for one (request, supplier): refuse, or keep the first, "
                     "the last (a later --qrels file wins) or the highest; resolved conflicts are reported."),
        click.option("--twins", default=str(EVAL_DIR / "twins.tsv"), show_default=True,
                     type=click.Path(dir_okay=False), help="Same brief in two languages ('' to skip)."),
        click.option("--no-match", "no_match", default=str(EVAL_DIR / "no_match.txt"), show_default=True,
                     type=click.Path(dir_okay=False), help="Requests no supplier can serve ('' to skip)."),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of bootstrap and tests."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def read_judgments(requests_file: str, qrels: tuple[str, ...], on_conflict: str, twins: str,
                   no_match: str) -> JudgmentSet:
    return load_judgment_set("sample", requests_file, list(qrels), twins or None, no_match or None, on_conflict)


def judgment_notes(js: JudgmentSet) -> list[str]:
    """What was combined or left out of a judgment set, one line each (nothing silent)."""
    notes, merged = [], js.merged
    if merged.conflicts:
        notes.append(f"note [{js.name}]: {len(merged.conflicts)} conflicting grade(s) resolved by rule "
                     f"'{merged.rule}': " + "; ".join(str(c) for c in merged.conflicts[:5])
                     + (" ..." if len(merged.conflicts) > 5 else ""))
    if js.dropped:
        notes.append(f"note [{js.name}]: {sum(js.dropped.values())} judgment(s) for {len(js.dropped)} request(s) "
                     f"not in {js.sources['requests']} were left out: {', '.join(sorted(js.dropped))}")
    return notes


def result_line(r: SystemResult, c: Comparison | None = None) -> str:
    """One system's row; with ``c`` (its paired comparison with the first row) the difference and p."""
    lo, hi = r.ci["ndcg10"]
    stab = "-" if r.stability is None else f"{r.stability:.2f}"
    diff = f"  {c.diff:+.3f} (p={c.p_value:.4f})" if c else ""
    return (f"{r.name[:30]:<30} {r.summary['ndcg10']:.3f} [{lo:.3f},{hi:.3f}]  {r.summary['ndcg5']:.3f}  "
            f"{r.summary['p5']:.3f}  {r.summary['r10']:.3f}  {r.summary['rr']:.3f}  {r.summary['ap']:.3f}  "
            f"{r.violations:>5}  {r.no_match_answered}/{r.no_match_total}  {stab:>5}  {r.coverage:.2f}  "
            f"{r.small_coverage:.2f}  {r.gini:.2f}{diff}")


HEADER = (f"{'system':<30} nDCG@10 [95% CI]      nDCG@5 P@5    R@10   MRR    MAP    viol.  no-m  stab.  cov.  "
          "small Gini")
JUDGED_HEADER = f"{'system':<30} unjudged@10      condensed nDCG@10 [95% CI]  bpref [95% CI]"


def judged_only_lines(results: list[SystemResult]) -> list[str]:
    """Judged-only figures beside the standard ones, whenever some top-10 row has no judgment."""
    if not any(r.unjudged_top10 for r in results):
        return []
    lines = ["incomplete judgments: standard metrics above count a top-10 row without a judgment as grade 0; "
             "judged-only figures (unjudged suppliers removed: condensed nDCG@10; skipped: bpref):", JUDGED_HEADER]
    for r in results:
        (cl, ch), (bl, bh) = r.ci["ndcg10_judged"], r.ci["bpref"]
        lines.append(f"{r.name[:30]:<30} {r.unjudged_top10:>4}/{r.top10_rows:<4} {r.unjudged_share:>4.0%}  "
                     f"{r.summary['ndcg10_judged']:.3f} [{cl:.3f},{ch:.3f}]        "
                     f"{r.summary['bpref']:.3f} [{bl:.3f},{bh:.3f}]")
    return lines


def in_sample_for(engine: Engine, ev: SubsetEvaluation) -> InSample | None:
    return check_in_sample(engine.profile, ev.data_hash, [t.request_id for t in ev.context.judged],
                           ev.result.summary["ndcg10"])


def system_json(r: SystemResult, per_request: bool) -> dict[str, Any]:
    drop = set() if per_request else {"per_request"}
    return {"name": r.name, **r.figures(per_request).model_dump(exclude=drop)}


SUBSET_HEADER = (f"{'subset':<12} {'text':<5} {'requests':>8} {'judged':>6}  nDCG@10 [95% CI]      cond. nDCG@10  "
                 "bpref  unjudged@10  no-m  viol.  twins@10  twin viol.")


def subset_line(ev: SubsetEvaluation, text: str = "read") -> str:
    r = ev.result
    lo, hi = r.ci["ndcg10"]
    twins = "-" if r.stability is None else f"{r.stability:.2f}"
    return (f"{ev.judgments.name[:12]:<12} {text:<5} {len(ev.judgments.requests):>8} {len(r.rows):>6}  "
            f"{r.summary['ndcg10']:.3f} [{lo:.3f},{hi:.3f}]  {r.summary['ndcg10_judged']:.3f}          "
            f"{r.summary['bpref']:.3f}  {r.unjudged_share:>10.0%}  {r.no_match_answered}/{r.no_match_total}  "
            f"{r.violations:>5}  {twins:>8}  {r.twin_violations:>10}")


@click.command()
@judgment_options
@click.option("--weights", default=None, help="Replace the profile's weights, e.g. 'semantic=1' (others become 0).")
@click.option("--run", "run_file", default=None, type=click.Path(dir_okay=False),
              help="Evaluate this run file (TSV or TREC) instead of the engine.")
@click.option("--baselines", is_flag=True, help="Add random, lexical, embeddings-only, structured-only, ablations.")
@click.option("--backends", default="", help="Other embedders to compare, e.g. 'minilm' (comma-separated).")
@click.option("--subset", "subsets", multiple=True, metavar="NAME=FOLDER",
              help="Also evaluate a judgment folder (requests.jsonl, qrels.tsv, twins.tsv, no_match.txt); repeatable. "
                   "Default with the sample requests: noisy=data/eval/noisy.")
@click.option("--preferences", default=None, type=click.Path(dir_okay=False),
              help="Pairwise preferences TSV: agreement with the graded judgments and with each system's ranking.")
@click.option("--report", default=None, type=click.Path(dir_okay=False), help="Write a self-contained HTML report.")
@click.option("--save-run", default=None, type=click.Path(dir_okay=False), help="Write the system's run as TSV.")
@click.option("--per-request", is_flag=True, help="Print one line per request too.")
@json_option
@click.pass_context
def evaluate(ctx: click.Context, requests_file: str, qrels: tuple[str, ...], on_conflict: str, twins: str,
             no_match: str, seed: int, weights: str | None, run_file: str | None, baselines: bool, backends: str,
             subsets: tuple[str, ...], preferences: str | None, report: str | None, save_run: str | None,
             per_request: bool, as_json: bool) -> None:
    """Score the current profile and embedder against graded judgments, with intervals and baselines."""
    from matcher.evaluation.baselines import suite_runs
    from matcher.evaluation.preferences import label_agreement

    engine = engine_for(ctx)
    judgments = read_judgments(requests_file, qrels, on_conflict, twins, no_match)
    fixed = None
    if weights is not None:
        try:
            parsed = parse_weights(weights) or {}
        except ValueError as exc:
            raise InputError(f"--weights: {exc}") from None
        fixed = check_weights({f: parsed.get(f, 0.0) for f in registry.names()}, "--weights")
    label = (f"weights {weights}" if fixed else
             f"full [{engine.embedder.name}] {engine.profile.name}@{engine.profile.version}")
    main = evaluate_subset(engine, judgments, weights=fixed, name=label, seed=seed,
                           run=read_run(run_file) if run_file else None)
    context, run = main.context, main.run
    runs = [run]
    if baselines or backends or report:
        others = [Engine(engine.store, profile=engine.profile, embedder=b.strip())
                  for b in backends.split(",") if b.strip()]
        runs += suite_runs([engine, *others], judgments.requests, context, seed,
                           ablations=baselines or bool(report))[1:]
    results = [main.result] + [evaluate_run(r, context, seed) for r in runs[1:]]
    comparisons = {r.name: compare(r, results[0], "ndcg10", seed) for r in results[1:]}
    engine_run = not (run_file or fixed)
    in_sample = in_sample_for(engine, main) if engine_run else None
    if not subsets and requests_file == DEFAULT_REQUESTS and not (run_file or fixed):
        subsets = (f"noisy={NOISY}",)  # the clean sample and the noisy subset, side by side
    parts = [evaluate_subset(engine, load_subset(s, on_conflict), name=label, seed=seed) for s in subsets]
    rows = [main, *parts] if parts else []
    # The ablation of request understanding: the same sets, descriptions not read (round-1 reading).
    plain = Engine(engine.store, profile=engine.profile, embedder=engine.embedder.embedder, indexes=engine.indexes,
                   extract=False)
    unread = [evaluate_subset(plain, ev.judgments, name=label, seed=seed) for ev in rows] if engine_run else []
    subset_warnings = {ev.judgments.name: in_sample_for(engine, ev) for ev in parts} if engine_run else {}
    agreement = label_agreement(preferences, judgments.qrels, judgments.request_ids,
                                [t.request_id for t in context.judged], runs) if preferences else None
    if save_run:
        write_run(run, save_run)
    if report:
        curves = sensitivity(context, engine.profile.weights)
        from matcher.evaluation.report import write_report

        meta = {"profile": f"{engine.profile.name}@{engine.profile.version}", "embedder": engine.embedder.name,
                **{k: v for k, v in judgments.sources.items() if v}, "judged requests": str(len(context.judged)),
                "suppliers": str(len(context.tables[0].ids) if context.tables else 0)}
        write_report(report, results, comparisons, curves, context.small, meta, in_sample=in_sample,
                     subsets=rows, agreement=agreement, notes=judgment_notes(judgments))
    if as_json:
        click.echo(json.dumps({
            "judgments": judgments.summary(), "in_sample": in_sample.model_dump() if in_sample else None,
            "systems": [system_json(r, per_request) for r in results],
            "paired_vs_first": {k: asdict(v) for k, v in comparisons.items()},
            "subsets": [{"judgments": ev.judgments.summary(), "system": system_json(ev.result, False),
                         "in_sample": (w.model_dump() if (w := subset_warnings.get(ev.judgments.name)) else None),
                         **({"text_not_read": system_json(unread[n].result, False)} if unread else {})}
                        for n, ev in enumerate(rows)],
            "preferences": agreement.to_json() if agreement else None}, indent=2))
        return
    for note in judgment_notes(judgments) + [n for ev in parts for n in judgment_notes(ev.judgments)]:
        click.echo(note)
    if per_request:
        for row in results[0].rows:
            click.echo("\t".join([row["request_id"], row["language"], row["buyer_type"],
                                  *(f"{m}={row[m]:.3f}" for m in RANKING_METRICS)]))
    click.echo(HEADER + ("  Δ nDCG@10 vs first (paired p)" if comparisons else ""))
    for r in results:
        click.echo(result_line(r, comparisons.get(r.name)))
    for line in judged_only_lines(results):
        click.echo(line)
    if rows:
        click.echo(f"judgment sets side by side ({label}; text: descriptions read, or not read as an ablation):")
        click.echo(SUBSET_HEADER)
        for n, ev in enumerate(rows):
            click.echo(subset_line(ev))
            if unread:
                click.echo(subset_line(unread[n], "off"))
    if agreement:
        for line in agreement.lines():
            click.echo(line)
    if report:
        click.echo(f"report written to {report}", err=True)
    for warning in [in_sample, *subset_warnings.values()]:
        if warning:
            click.echo(f"WARNING: {warning.message}")


@click.command(name="compare")
@click.argument("run_a", type=click.Path(dir_okay=False))
@click.argument("run_b", type=click.Path(dir_okay=False))
@judgment_options
@json_option
@click.pass_context
def compare_runs(ctx: click.Context, run_a: str, run_b: str, requests_file: str, qrels: tuple[str, ...],
                 on_conflict: str, twins: str, no_match: str, seed: int, as_json: bool) -> None:
    """Paired comparison of two run files (randomization test and bootstrap interval per metric)."""
    judgments = read_judgments(requests_file, qrels, on_conflict, twins, no_match)
    context = evaluate_subset(engine_for(ctx), judgments, seed=seed).context
    a, b = (evaluate_run(read_run(p), context, seed) for p in (run_a, run_b))
    rows = [compare(a, b, m, seed) for m in RANKING_METRICS]
    for note in judgment_notes(judgments):
        click.echo(note, err=True)
    if as_json:
        click.echo(json.dumps([asdict(c) for c in rows], indent=2))
        return
    click.echo(f"A = {a.name}, B = {b.name}, {rows[0].n} judged requests in both")
    for c in rows:
        click.echo(f"{c.metric:<7} A {c.mean_a:.3f}  B {c.mean_b:.3f}  A-B {c.diff:+.3f} "
                   f"[{c.diff_ci[0]:+.3f}, {c.diff_ci[1]:+.3f}]  p={c.p_value:.4f}")
