"""Transactional, idempotent import of supplier sheets and buyer requests.

Default: every valid row is stored in one transaction (upsert by id) and
every rejected row is reported with its row number, field and reason.
``strict=True``: any problem rejects the whole file and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, computed_field

from matcher import vocab
from matcher.errors import FieldProblem, ImportRejected, RecordError
from matcher.io.readers import read_records
from matcher.schema import BuyerRequest, Kind, Supplier, validate_record
from matcher.store import Store
from matcher.textnorm import text_hash

ID_FIELD = {"supplier": "supplier_id", "request": "request_id"}


class ReportedProblem(BaseModel):
    """One row/field problem as an import report shows it."""

    row: int | None
    field: str
    message: str
    text: str

    @classmethod
    def of(cls, p: FieldProblem) -> ReportedProblem:
        return cls(row=p.row, field=p.field, message=p.message, text=str(p))

    def __str__(self) -> str:
        return self.text


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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.rejected if p.row is not None})

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


def _unknown_label_warnings(model: Supplier | BuyerRequest, name: str, row: int) -> list[FieldProblem]:
    checks = [("certifications", "certifications", "certification"), ("sustainability", "sustainability", "practice")]
    if isinstance(model, BuyerRequest):
        checks = [
            ("required_certifications", "certifications", "certification"),
            ("preferred_certifications", "certifications", "certification"),
            ("sustainability", "sustainability", "practice"),
        ]
    out = []
    for fname, vname, noun in checks:
        v = vocab.load(vname)
        for label in getattr(model, fname):
            if not v.find(label):
                out.append(FieldProblem(fname, f"'{label}' is not a known {noun}; kept as written", row, name))
    return out


Validated = tuple[list[tuple[int, Any]], list[FieldProblem], list[FieldProblem], int]


def validate_file(path: str | Path, kind: Kind) -> Validated:
    """(valid (row, model) pairs, problems, warnings, number of records read)."""
    name = Path(path).name
    records = read_records(path, kind)
    valid: list[tuple[int, Any]] = []
    problems: list[FieldProblem] = []
    warnings: list[FieldProblem] = []
    first_row: dict[str, int] = {}
    for row, data in records:
        row_problems = []
        if isinstance(data, dict) and "__too_many_cells__" in data:
            row_problems.append(FieldProblem("", data.pop("__too_many_cells__"), row, name))
        try:
            model = validate_record(kind, data, file=name, row=row)
        except RecordError as exc:
            problems.extend(row_problems + exc.problems)
            continue
        if row_problems:
            problems.extend(row_problems)
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
        warnings.extend(_unknown_label_warnings(model, name, row))
        valid.append((row, model))
    return valid, problems, warnings, len(records)


def import_file(store: Store, path: str | Path, kind: Kind, strict: bool = False) -> ImportReport:
    """Validate ``path`` and store its valid records; see the module docstring for the policy."""
    valid, problems, warnings, count = validate_file(path, kind)
    name = Path(path).name
    if strict and problems:
        raise ImportRejected(name, problems)
    models = [m for _, m in valid]
    report = ImportReport(file=name, kind=kind, rows=count, rejected=[ReportedProblem.of(p) for p in problems],
                          warnings=[ReportedProblem.of(p) for p in warnings])
    if models:
        upsert = store.upsert_suppliers if kind == "supplier" else store.upsert_requests
        report.inserted, report.updated = upsert(models)
        report.unchanged = len({getattr(m, ID_FIELD[kind]) for m in models}) - report.inserted - report.updated
    report.ids = [getattr(m, ID_FIELD[kind]) for m in models]
    return report


def load_requests(path: str | Path) -> list[BuyerRequest]:
    """Every request in a file, without storing them; RecordError lists every problem."""
    problems, requests = [], []
    for row, data in read_records(path, "request"):
        try:
            request = validate_record("request", data, file=Path(path).name, row=row)
            assert isinstance(request, BuyerRequest)
            requests.append(ensure_request_id(request))
        except RecordError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RecordError(problems)
    return requests
