"""``matcher report market``: what buyers ask for and each cluster cannot supply (HTML or XLSX)."""

from __future__ import annotations

import click

from matcher.market import analyse, write

from .common import Group, engine_for


@click.group(name="report", cls=Group)
def report_group() -> None:
    """Reports for the project team."""


@report_group.command("market")
@click.option("--cluster", default=None, help="One cluster, as named in the supplier sheet (default: every cluster).")
@click.option("--since", default=None, help="First day of the period (YYYY-MM-DD); the previous period of equal "
              "length is compared. Default: every stored request, no comparison.")
@click.option("--until", default=None, help="Last day of the period (YYYY-MM-DD, included; default: now).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="report.html or report.xlsx")
@click.pass_context
def market(ctx: click.Context, cluster: str | None, since: str | None, until: str | None, out: str) -> None:
    """The cluster market report: unmet demand, certifications, capacity, languages, period against period."""
    analysis = analyse(engine_for(ctx), cluster, since, until)
    path = write(analysis, out)
    r = analysis.report
    click.echo(f"{path}: {r.requests} request(s), cluster(s) {', '.join(r.clusters) or 'none'}")
    for line in r.headlines:
        click.echo(f"  - {line}")
