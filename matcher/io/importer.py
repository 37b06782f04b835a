"""Transactional, idempotent import of supplier sheets and buyer requests.

Default: every valid row is stored in one transaction (upsert by id) and
every rejected row is reported with its row number, field and reason.
``strict=True``: any problem rejects the whole file and nothing is written.

What the importer read on the way (a heading alias, a country name, a unit, an unknown or
corrected term, a likely duplicate) is reported once per kind with its rows
(matcher.io.notes); rejected rows keep their cells as written, for a rejects file
(matcher.io.rejects) that can be fixed and imported again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, computed_field

from matcher import i18n
from matcher.errors import FieldProblem, ImportRejected, RecordError
from matcher.io.cellfix import fix_record
from matcher.io.duplicates import likely_duplicates
from matcher.io.notes import Notes, ReportedProblem
from matcher.io.readers import TOO_MANY, Sheet, read_sheet
from matcher.schema import BuyerRequest, Kind, validate_record
from matcher.store import Store
from matcher.textnorm import text_hash

__all__ = ["ID_FIELD", "ImportReport", "RejectedRow", "ReportedProblem", "ensure_request_id", "import_file",
           "load_requests", "validate_file"]

ID_FIELD = {"supplier": "supplier_id", "request": "request_id"}


class RejectedRow(BaseModel):
    """A rejected row as the file holds it: its cells (in the header's order) and why it was refused."""

    row: int
    cells: list[str]
    errors: list[str]


class ImportReport(BaseModel):
    """What an import did: rows read, stored, rejected (with why) and warned about."""

    file: str
    kind: str
    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0  # already stored exactly so: nothing written, nothing re-indexed
    ids: list[str] = Field(default_factory=list)
    rejected: list[ReportedProblem] = Field(default_factory=list)
    warnings: list[ReportedProblem] = Field(default_factory=list)
    renamed_columns: dict[str, str] = Field(default_factory=dict, description="heading as written -> field")
    extra_columns: list[str] = Field(default_factory=list, description="headings kept as extra columns")
    header: list[str] = Field(default_factory=list, description="the sheet's header as written (sheets only)")
    delimiter: str = Field(default=",", description="the CSV separator read (a rejects CSV is written with it)")
    rejected_records: list[RejectedRow] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rejected_rows(self) -> list[int]:
        return sorted({r for p in self.rejected for r in ([p.row] if p.row is not None else [])})

    def summary(self) -> str:
        return (
            f"{self.file}: {self.rows} row(s) read, {self.inserted} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, "
            f"{len(self.rejected_rows)} rejected, {len(self.warnings)} warning(s)"
        )


def ensure_request_id(request: BuyerRequest) -> BuyerRequest:
    """Requests without an id get a stable one derived from their content."""
    if request.request_id:
        return request
    digest = text_hash(request.model_dump_json(exclude={"request_id"}))[:10]
    return request.model_copy(update={"request_id": f"req-{digest}"})


@dataclass
class Validated:
    """A file checked against the contract, before anything is stored."""

    sheet: Sheet
    valid: list[tuple[int, Any]]
    problems: list[FieldProblem]
    notes: Notes


def _too_many(name: str, row: int, spec: tuple[int, int]) -> FieldProblem:
    params = {"cells": spec[0], "columns": spec[1]}
    return FieldProblem("", i18n.msg("en", "import.too_many_cells", **params), row, name, "import.too_many_cells",
                        params)


def validate_file(path: str | Path, kind: Kind) -> Validated:
    """Every record of ``path`` checked: valid (row, model) pairs, problems, notes."""
    sheet = read_sheet(path, kind)
    name = sheet.file
    valid: list[tuple[int, Any]] = []
    problems: list[FieldProblem] = list(sheet.problems)
    notes = Notes()
    first_row: dict[str, int] = {}
    for row, data in sheet.records:
        if isinstance(data, dict) and TOO_MANY in data:  # shifted cells: their own errors would only mislead
            problems.append(_too_many(name, row, data[TOO_MANY]))
            continue
        row_notes: list[Any] = []
        if isinstance(data, dict):
            data, row_notes, dates = fix_record(data)
            if dates:
                problems.extend(FieldProblem(p.field, p.message, row, name, p.msgid, p.params) for p in dates)
                continue
        try:
            model = validate_record(kind, data, file=name, row=row)
        except RecordError as exc:
            problems.extend(exc.problems)
            continue
        if isinstance(model, BuyerRequest):
            model = ensure_request_id(model)
        ident = getattr(model, ID_FIELD[kind])
        if ident in first_row:
            problems.append(FieldProblem(
                ID_FIELD[kind], f"duplicate {ID_FIELD[kind]} '{ident}' (already on row {first_row[ident]})", row, name
            ))
            continue
        first_row[ident] = row
        for note in row_notes:
            notes.add(note, row)
        notes.terms_of(model, kind, row)
        valid.append((row, model))
    return Validated(sheet=sheet, valid=valid, problems=problems, notes=notes)


def _cells(sheet: Sheet, row: int) -> list[str]:
    return ["" if c is None else (c.isoformat()[:10] if hasattr(c, "isoformat") else str(c))
            for c in sheet.cells.get(row, [])]


def _rejected_records(v: Validated) -> tuple[list[str], list[RejectedRow]]:
    """The header and every rejected row, cells as written, each with its errors."""
    sheet = v.sheet
    by_row: dict[int, list[str]] = {}
    for p in v.problems:
        if p.row is not None:
            by_row.setdefault(p.row, []).append((f"{p.field}: " if p.field else "") + p.message)
    records = dict(sheet.records)
    if sheet.header:
        ignored = set(sheet.columns.ignored) if sheet.columns else set()
        header = [h for i, h in enumerate(sheet.header) if i not in ignored]
        rows = [RejectedRow(row=r, cells=[c for i, c in enumerate(_cells(sheet, r)) if i not in ignored],
                            errors=errors) for r, errors in sorted(by_row.items())]
        return header, rows
    columns: list[str] = []
    for r in sorted(by_row):
        data = records.get(r)
        for key in (data if isinstance(data, dict) else {}):
            if key not in columns:
                columns.append(str(key))
    out = []
    for r, errors in sorted(by_row.items()):
        data = records.get(r)
        item = data if isinstance(data, dict) else {}
        out.append(RejectedRow(row=r, cells=[_json_cell(item.get(c)) for c in columns], errors=errors))
    return columns, out


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def import_file(store: Store, path: str | Path, kind: Kind, strict: bool = False) -> ImportReport:
    """Validate ``path`` and store its valid records; see the module docstring for the policy."""
    report, models = prepare_import(store, path, kind, strict)
    return store_import(store, report, models)


def prepare_import(store: Store, path: str | Path, kind: Kind, strict: bool = False) -> tuple[ImportReport, list[Any]]:
    """Everything of an import but the writing: the report so far and the valid records to store."""
    v = validate_file(path, kind)
    name = v.sheet.file
    if strict and v.problems:
        raise ImportRejected(name, v.problems)
    if kind == "supplier":
        for d in likely_duplicates(v.valid, store.suppliers()):
            v.notes.duplicate(d, "name")
    header, rejected_records = _rejected_records(v)
    cols = v.sheet.columns
    report = ImportReport(file=name, kind=kind, rows=len(v.sheet.records),
                          rejected=[_reported(p) for p in v.problems], warnings=v.notes.reported(name),
                          renamed_columns=cols.renamed if cols else {}, extra_columns=cols.extras if cols else [],
                          header=header, rejected_records=rejected_records, delimiter=v.sheet.delimiter or ",")
    models = [m for _, m in v.valid]
    report.ids = [getattr(m, ID_FIELD[kind]) for m in models]
    return report, models


def store_import(store: Store, report: ImportReport, models: list[Any]) -> ImportReport:
    """Write the records ``prepare_import`` kept and count what changed (in the caller's transaction, if any)."""
    if models:
        upsert = store.upsert_suppliers if report.kind == "supplier" else store.upsert_requests
        report.inserted, report.updated = upsert(models)
        report.unchanged = len(set(report.ids)) - report.inserted - report.updated
    return report


def _reported(p: FieldProblem) -> ReportedProblem:
    return ReportedProblem(row=p.row, rows=[p.row] if p.row is not None else [], field=p.field, message=p.message,
                           text=str(p), msgid=p.msgid, params=p.params)


def load_requests(path: str | Path) -> list[BuyerRequest]:
    """Every request in a file, without storing them; RecordError lists every problem."""
    v = validate_file(path, "request")
    if v.problems:
        raise RecordError(v.problems)
    return [m for _, m in v.valid]
