"""``matcher tune`` (a new profile version from cross-validated weight search) and ``matcher profiles``
(list, show and roll back versions)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from matcher.errors import InputError
from matcher.evaluation.judgments import twin_groups
from matcher.evaluation.runs import load_context
from matcher.profiles import list_profiles, load_profile, profile_versions, rollback_profile, save_profile

from .common import command_line, engine_for, json_option
from .evaluate import HEADER, judgment_notes, judgment_options, read_judgments, result_line


@click.command()
@judgment_options
@click.option("--name", default="tuned", show_default=True, help="Profile name to save (a new version each run).")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Cross-validation folds over requests (twins are kept in one fold).")
@click.option("--repeats", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Repetitions of the cross-validation with fold seeds seed, seed+1, ...")
@click.option("--candidates", type=click.IntRange(10, 100_000), default=3000, show_default=True,
              help="Weight vectors tried per search.")
@click.option("--fairness", type=click.FloatRange(0, 10), default=0.0, show_default=True,
              help="Penalty on the exposure Gini in the objective (0: nDCG@10 alone).")
@click.option("--learned", is_flag=True, help="Also cross-validate a learned ranker (gradient boosting).")
@click.option("--dry-run", is_flag=True, help="Report, but do not save the profile.")
@json_option
@click.pass_context
def tune(ctx: click.Context, requests_file: str, qrels: tuple[str, ...], on_conflict: str, twins: str,
         no_match: str, seed: int, name: str, folds: int, repeats: int, candidates: int, fairness: float,
         learned: bool, dry_run: bool, as_json: bool) -> None:
    """Search factor weights with twin-grouped, repeated k-fold cross-validation; save a new profile version."""
    from matcher.evaluation.tuning import tune as run_tuning

    engine = engine_for(ctx)
    judgments = read_judgments(requests_file, qrels, on_conflict, twins, no_match)
    context = load_context(engine, judgments.requests, judgments.qrels, judgments.twins, judgments.no_match)
    groups = len(set(twin_groups([t.request_id for t in context.judged], context.twins).values()))
    if groups < folds:
        raise InputError(f"--folds {folds}: only {len(context.judged)} judged request(s) in {groups} twin group(s)")
    outcome = run_tuning(engine, judgments.requests, context, name, folds, candidates, fairness, learned, seed,
                         command=command_line(ctx), embedder=ctx.find_root().obj["embedder"], repeats=repeats,
                         sources=judgments.sources)
    path = None if dry_run else save_profile(outcome.profile)
    notes = judgment_notes(judgments)
    if as_json:
        click.echo(json.dumps({"profile": outcome.profile.to_json(), "saved": str(path) if path else None,
                               "judgments": judgments.summary(), "folds": [asdict(f) for f in outcome.folds]},
                              indent=2))
        return
    for note in notes:
        click.echo(note)
    click.echo(f"held-out scores, twin-grouped {folds}-fold cross-validation (fold seed {seed}) over "
               f"{len(context.judged)} judged requests:")
    click.echo(HEADER)
    for r in outcome.results:
        click.echo(result_line(r))
    c = outcome.comparison
    click.echo(f"tuned - current: nDCG@10 {c.diff:+.3f} [{c.diff_ci[0]:+.3f}, {c.diff_ci[1]:+.3f}], "
               f"p={c.p_value:.4f} (paired randomization test, fold seed {seed})")
    click.echo(outcome.repeated.describe())
    click.echo(f"rule: {outcome.profile.meta['repeated_cv']['rule']}")
    click.echo("weights: " + ", ".join(f"{k}={v:g}" for k, v in outcome.profile.weights.items()))
    if path:
        p = outcome.profile
        click.echo(f"saved {p.name} v{p.version} to {Path(path)}; use it with: matcher --profile {p.name} ... "
                   f"(this version stays selectable as {p.name}@{p.version})")


@click.group(name="profiles")
def profiles_group() -> None:
    """Saved weight profiles and their versions (NAME is the latest, NAME@N version N)."""


@profiles_group.command(name="list")
@json_option
def list_command(as_json: bool) -> None:
    """Every profile with its versions, the latest marked."""
    rows = []
    for name in list_profiles():
        for v in profile_versions(name):
            p = load_profile(f"{name}@{v}")
            rep = p.meta.get("repeated_cv") or {}
            rows.append({"profile": f"{name}@{v}", "latest": v == max(profile_versions(name)),
                         "created": p.meta.get("created", ""), "held_out_ndcg10": rep.get("ndcg10_mean",
                         p.meta.get("held_out", {}).get("ndcg10")), "verdict": rep.get("verdict"),
                         "rollback_of": p.meta.get("rollback", {}).get("restores")})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'profile':<22} {'latest':<6} {'created':<10} {'held-out nDCG@10':>16}  verdict / note")
    for r in rows:
        held = "-" if r["held_out_ndcg10"] is None else f"{r['held_out_ndcg10']:.3f}"
        note = r["verdict"] or ""
        if r["rollback_of"]:
            note = f"rollback to {r['rollback_of']}"
        click.echo(f"{r['profile']:<22} {'*' if r['latest'] else '':<6} {r['created']:<10} {held:>16}  {note}")


@profiles_group.command(name="show")
@click.argument("name")
def show_command(name: str) -> None:
    """Print profile NAME or NAME@N as JSON."""
    click.echo(json.dumps(load_profile(name).to_json(), indent=2, ensure_ascii=False))


@profiles_group.command(name="rollback")
@click.argument("name")
@click.option("--to", "version", type=int, required=True, help="The version to restore.")
@click.pass_context
def rollback_command(ctx: click.Context, name: str, version: int) -> None:
    """Make version N of NAME the latest again, as a new version (nothing is deleted)."""
    if "@" in name:
        raise InputError(f"rollback takes a profile name without a version (got '{name}'); use --to")
    profile = rollback_profile(name, version, command_line(ctx))
    path = save_profile(profile)
    click.echo(f"saved {name} v{profile.version} (the weights of {name}@{version}) to {path}; "
               f"{name} now means {name}@{profile.version}")
