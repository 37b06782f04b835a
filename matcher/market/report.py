"""The cluster market report: what buyers ask for and each cluster cannot supply, period against period.

``analyse(engine, cluster, since, until)`` scores every stored request of the period (and of the
previous period of equal length) once with the engine, and builds the tables of
:mod:`matcher.market.tables`; ``to_html`` (one self-contained file: tables and SVG plots) and
``to_xlsx`` (one sheet per table) write it. Definitions: :mod:`matcher.market.demand`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup
from pydantic import BaseModel, Field

from matcher.errors import InputError, NotFoundError, RecordError
from matcher.exports import html
from matcher.exports.tabular import Table, to_xlsx
from matcher.market import plots, tables
from matcher.market.demand import Outside, Row, clusters_of, rows_for
from matcher.store import now

Cell = str | int | float | None

DEFINITIONS = [
    "A request is addressed to a cluster in a product family when it names that family (by product, HS code or "
    "text) and at least one workshop of the cluster makes it; a request naming two such families counts in both.",
    "A workshop reaches a request when it meets every must-have and makes the family. Unmet: no workshop of the "
    "cluster reaches it. Under-met: some do, but none can make the quantity alone within the buyer's window "
    "(monthly capacity x window / 30, whole pieces; 90 days when the buyer gives none). Met: one can.",
    "A certification would open an unmet request when a workshop of the cluster that makes the family misses only "
    "that must-have; 'workshops to certify' is the fewest such workshops that open all those requests (exact).",
    "A period runs from 00:00 UTC of its first day (--since) to 00:00 UTC of the day after --until (or to now); "
    "the previous period has the same length and ends where this one starts. Requests are dated when first stored.",
    "Requests are scored against the catalogue as it is today. Workshops without a cluster belong to none.",
]


class MarketTable(BaseModel):
    title: str
    columns: list[str]
    rows: list[list[Cell]]


class MarketReport(BaseModel):
    cluster: str | None = Field(description="the cluster asked for (default: every named cluster)")
    period: tuple[str | None, str] = Field(description="[start, end) of the period, ISO 8601 UTC; start None: all")
    previous: tuple[str, str] | None = Field(description="the previous period of equal length, when --since is given")
    clusters: list[str]
    requests: int = Field(description="stored requests in the period")
    requests_previous: int | None
    headlines: list[str]
    definitions: list[str]
    tables: list[MarketTable]


@dataclass
class MarketAnalysis:
    report: MarketReport
    current: pd.DataFrame
    tables: list[Table]
    requirements: Table
    comparison: Table | None


def _day(value: str | date | None, what: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise InputError(f"{what}: '{value}' is not a date (YYYY-MM-DD)") from None


Period = tuple[str | None, str]


def periods(since: str | date | None, until: str | date | None) -> tuple[Period, tuple[str, str] | None]:
    """The period [since, until + 1 day) and the one of equal length before it (None without ``since``)."""
    start, last = _day(since, "since"), _day(until, "until")
    end = last + timedelta(days=1) if last else datetime.fromisoformat(now())
    if start is not None and start >= end:
        raise InputError(f"since ({start.date()}) must be on or before until ({(end - timedelta(days=1)).date()})")
    if start is None:
        return (None, end.isoformat()), None
    return (start.isoformat(), end.isoformat()), ((start - (end - start)).isoformat(), start.isoformat())


def _rows(engine: Any, dated: list[tuple[Any, str]], clusters: list[Any]) -> tuple[list[Row], list[Outside]]:
    rows, outside = [], []
    for request, created_at in dated:
        try:
            scored = engine.score(request)
        except RecordError:  # a stored request that states no quantity cannot be scored: no demand to count
            continue
        found, out = rows_for(scored, created_at, clusters)
        rows.extend(found)
        if out is not None:
            outside.append(out)
    return rows, outside


def _meetings(engine: Any) -> list[tuple[str, str, str]]:
    out = []
    for summary in engine.store.plans():
        _, plan = engine.store.get_plan(summary.plan_id)
        by_id = {m.meeting_id: m for m in plan.meetings}
        records = engine.store.get_suppliers(sorted({by_id[mid].supplier_id for mid in plan.outcomes}))
        for mid, o in plan.outcomes.items():
            record = records.get(by_id[mid].supplier_id)
            cluster = record.cluster if record is not None else None
            if cluster:
                out.append((by_id[mid].request_id, cluster, o.outcome))
    return out


def analyse(engine: Any, cluster: str | None = None, since: str | date | None = None,
            until: str | date | None = None) -> MarketAnalysis:
    """The report for ``cluster`` (default: all) over the period; see the module docstring."""
    period, previous = periods(since, until)
    index = engine.index()
    clusters = clusters_of(index, engine.store, cluster)
    if cluster is not None and not clusters:
        known = ", ".join(c.name for c in clusters_of(index, engine.store)) or "none"
        raise NotFoundError("cluster", cluster, known)
    dated = engine.store.requests_dated(period[0], period[1] if until else None)  # no --until: up to now, inclusive
    rows, outside = _rows(engine, dated, clusters)
    df = tables.frame(rows)
    requirements, sentences = tables.requirements(df, clusters)
    out = [tables.status_table(df), tables.unmet_table(df), requirements, tables.capacity_table(df, clusters),
           tables.languages_table(df, clusters)]
    comparison, n_previous = None, None
    if previous is not None:
        before = engine.store.requests_dated(*previous)
        n_previous = len(before)
        comparison = tables.comparison_table(df, tables.frame(_rows(engine, before, clusters)[0]))
        out.append(comparison)
    out += [tables.outcomes_table(df, _meetings(engine)), tables.outside_table(outside), tables.requests_table(df)]
    report = MarketReport(
        cluster=cluster, period=period, previous=previous, clusters=[c.name for c in clusters], requests=len(dated),
        requests_previous=n_previous, headlines=sentences, definitions=DEFINITIONS,
        tables=[MarketTable(title=t.title, columns=list(t.columns), rows=t.cells()) for t in out])
    return MarketAnalysis(report, df, out, requirements, comparison)


def body_html(a: MarketAnalysis) -> Markup:
    """The report's sections (for the full document and for the team page)."""
    figures = []
    if len(a.current):
        figures = [plots.status_plot(a.current), plots.requirement_plot(a.requirements),
                   plots.capacity_plot(a.current)]
    if a.comparison is not None and a.comparison.rows:
        figures.append(plots.comparison_plot(a.comparison))
    return Markup(html.render("matcher.exports", "market_body.html", r=a.report, tables=a.tables, figures=figures))


def to_html(a: MarketAnalysis) -> str:
    return html.render("matcher.exports", "market.html", r=a.report, body=body_html(a))


def to_excel(a: MarketAnalysis) -> bytes:
    about = Table("About", ["item", "value"], [
        ["cluster", a.report.cluster or "all"], ["period", " to ".join(p or "start" for p in a.report.period)],
        ["previous period", " to ".join(a.report.previous) if a.report.previous else "none (give --since)"],
        ["requests in period", a.report.requests], *[["finding", s] for s in a.report.headlines],
        *[["definition", d] for d in a.report.definitions]])
    return to_xlsx(about, *a.tables)


FORMATS = {"html": lambda a: to_html(a).encode("utf-8"), "xlsx": to_excel}
MIME_TYPES = {"html": "text/html", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def write(a: MarketAnalysis, out: str | Path) -> Path:
    path = Path(out)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"{path.name}: the market report can be written as .html or .xlsx, not '{path.suffix}'")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FORMATS[fmt](a))
    return path
