"""``matcher import`` and ``matcher suppliers``: getting sheets in, looking suppliers up."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from matcher.catalogue import search_suppliers
from matcher.io.rejects import write_rejects

from .common import EXIT_PARTIAL_IMPORT, Group, engine_for, fail, json_option, strict_option


@click.group(name="import", cls=Group)
def import_group() -> None:
    """Import supplier sheets or buyer requests (CSV, XLSX, JSON, JSONL)."""


def _import(ctx: click.Context, kind: str, path: str, strict: bool, as_json: bool, rejects: str | None) -> None:
    if rejects and Path(rejects).suffix.lower() not in (".csv", ".xlsx"):  # said before anything is stored
        fail(f"{Path(rejects).name}: rejected rows can be written as .csv or .xlsx, not '{Path(rejects).suffix}'")
    report = engine_for(ctx).import_file(path, kind, strict=strict)  # type: ignore[arg-type]
    written = write_rejects(report, rejects) if rejects and report.rejected_records else None
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        click.echo(report.summary())
        if report.renamed_columns:
            click.echo("  columns read: " + ", ".join(f"{k} -> {v}" for k, v in report.renamed_columns.items()))
        if report.extra_columns:
            click.echo("  kept as extra columns: " + ", ".join(report.extra_columns))
        for problem in report.rejected:
            click.echo(f"  rejected: {problem}")
        for problem in report.warnings:
            click.echo(f"  warning: {problem}")
        if written:
            click.echo(f"  {len(report.rejected_records)} rejected row(s) written to {written}: "
                       "fix them there and import that file again")
    if report.rejected:
        sys.exit(EXIT_PARTIAL_IMPORT)


def _import_command(kind: str, plural: str, key: str) -> None:
    @import_group.command(plural, help=f"Import or update {plural} from PATH (upsert by {key}).")
    @click.argument("path", type=click.Path(dir_okay=False))
    @strict_option
    @json_option
    @click.option("--rejects", type=click.Path(dir_okay=False), default=None,
                  help="Write the rejected rows to this .csv or .xlsx, with an import_errors column, to fix and "
                       "import again.")
    @click.pass_context
    def command(ctx: click.Context, path: str, strict: bool, as_json: bool, rejects: str | None) -> None:
        _import(ctx, kind, path, strict, as_json, rejects)


_import_command("supplier", "suppliers", "supplier_id")
_import_command("request", "requests", "request_id")


@click.group(cls=Group)
def suppliers() -> None:
    """List or show stored suppliers."""


@suppliers.command("list")
@click.option("--q", "query", default="", help="Words to find, in any order, in id, name, products, materials, "
              "techniques or description (accents and case ignored; best match first).")
@click.option("--country", default="", help="ISO code, e.g. DZ.")
@click.option("--cluster", default="", help="Part of the cluster name.")
@click.option("--product", default="", help="Part of a product name.")
@json_option
@click.pass_context
def suppliers_list(ctx: click.Context, query: str, country: str, cluster: str, product: str, as_json: bool) -> None:
    """Stored suppliers; text filters ignore case and accents (the team page's search)."""
    rows = search_suppliers(engine_for(ctx).store.suppliers(), query, country, cluster, product)
    if as_json:
        click.echo(json.dumps([s.model_dump() for s in rows], ensure_ascii=False, indent=2))
        return
    for s in rows:
        click.echo(f"{s.supplier_id}\t{s.country}\t{s.cluster or '-'}\t{s.name}\t{s.monthly_capacity}/month")
    click.echo(f"{len(rows)} supplier(s)", err=True)


@suppliers.command("show")
@click.argument("supplier_id")
@json_option
@click.pass_context
def suppliers_show(ctx: click.Context, supplier_id: str, as_json: bool) -> None:
    """Every stored field of one supplier."""
    s = engine_for(ctx).store.get_supplier(supplier_id)
    data = s.model_dump()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        if value not in (None, [], {}):
            click.echo(f"{key:>18}: {'; '.join(value) if isinstance(value, list) else value}")
