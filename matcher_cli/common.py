"""What every command shares: the engine for the global options, JSON output, errors, progress."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from matcher import i18n
from matcher.engine import Engine
from matcher.errors import MatcherError
from matcher.explain import MatchResult
from matcher.store import Store

DEFAULT_DB = "var/matcher.db"
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data"
EXIT_PARTIAL_IMPORT = 3
ARGV_KEY = "matcher.argv"


def command_line(ctx: click.Context) -> str:
    """The command exactly as given (shell-quoted, empty arguments kept): running it again in a
    shell, with the same environment, repeats it."""
    import shlex

    return shlex.join(["matcher", *ctx.meta.get(ARGV_KEY, [])])


class Progress:
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


def engine_for(ctx: click.Context) -> Engine:
    """The engine of the global --db, --profile and --embedder (made once per command line)."""
    obj = ctx.find_root().obj
    if "engine" not in obj:
        store = Store(obj["db"])
        ctx.call_on_close(store.close)
        progress = Progress()
        ctx.call_on_close(progress.close)
        obj["engine"] = Engine(store, profile=obj["profile"], embedder=obj["embedder"], progress=progress)
    return obj["engine"]


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


class Group(click.Group):
    """Turns every MatcherError into 'Error: ...' and exit code 1; keeps the command line as given."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta.setdefault(ARGV_KEY, list(args))  # the first (root) group sees every argument
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MatcherError as exc:
            fail(str(exc))


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
strict_option = click.option("--strict", is_flag=True, help="Reject the whole file if any row is invalid.")


def print_interpretation(result: MatchResult) -> None:
    """What the engine read in the request, in the request's language."""
    it = result.interpretation
    if it is None:
        return
    loc = i18n.locale_for(it.language)
    name = i18n.language_name(it.language, loc)
    if it.language_source == "detected":
        name += f" ({i18n.text(loc, 'understood.detected')})"
    click.echo(i18n.msg(loc, "understood.language", name=name))
    if it.extracted:
        click.echo(i18n.text(loc, "understood.title") + ":")
    for e in it.extracted:
        strength = f" ({i18n.text(loc, 'understood.' + e.strength)})" if e.strength and e.applied else ""
        note = f" ({e.note})" if e.note else ""
        click.echo(f"  {'+' if e.applied else '-'} {e.label}{strength} «{e.text}»{note}")
    for t in it.terms:
        click.echo(f"  ! {t.message}")


def print_result(result: MatchResult) -> None:
    print_interpretation(result)
    if result.message:
        click.echo(result.message)
    for m in result.matches or result.near_misses:
        flag = "" if m.eligible else "  [INELIGIBLE: lacks " + ", ".join(m.lacks) + "]"
        click.echo(f"{m.rank:>3}. {m.name} ({m.supplier_id}, {m.country})  score {m.score:.3f}{flag}")
        for reason in m.reasons:
            click.echo(f"       - {reason.text}")
