"""Rejected rows handed back to the officer: the sheet's own columns, cells as written, and why.

The file has the header of the imported sheet and one more column, ``import_errors``, which the
importer ignores when the fixed file is imported again (matcher.io.headers.REJECTS_COLUMN). CSV keeps
the imported file's separator (a French spreadsheet reads ';'), UTF-8 with a BOM; XLSX uses the shared
writer (frozen header, widths, wrapped text). Cells that a spreadsheet would run as a formula are
neutralised as in every export (matcher.exports.tabular).
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from matcher.errors import InputError
from matcher.exports.tabular import Table, to_xlsx
from matcher.io.headers import REJECTS_COLUMN
from matcher.io.importer import ImportReport

FORMATS = ("csv", "xlsx")
MIME_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def rejects_table(report: ImportReport) -> Table:
    columns = [*report.header, REJECTS_COLUMN]
    width = len(report.header)
    rows = []
    for r in report.rejected_records:
        cells = r.cells[:width] + [""] * (width - len(r.cells))
        surplus = [c for c in r.cells[width:] if c.strip()]  # shifted cells: shown after the errors, to merge back
        rows.append([*cells, f"row {r.row}: " + " | ".join(r.errors), *surplus])
    longest = max((len(r) for r in rows), default=len(columns))
    return Table("Rejected rows", columns + [""] * (longest - len(columns)), rows)


def render_rejects(report: ImportReport, fmt: str) -> bytes:
    """The rejected rows of ``report`` as a CSV or XLSX file's bytes."""
    if fmt not in FORMATS:
        raise InputError(f"rejected rows can be written as .csv or .xlsx, not '.{fmt}'")
    table = rejects_table(report)
    if fmt == "xlsx":
        return to_xlsx(table)
    buf = io.StringIO()
    table.frame().to_csv(buf, index=False, sep=report.delimiter, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def write_rejects(report: ImportReport, path: str | Path) -> Path:
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"{path.name}: rejected rows can be written as .csv or .xlsx, not '{path.suffix}'")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_rejects(report, fmt))
    return path


def rejects_data_uri(report: ImportReport | None) -> str | None:
    """The rejects CSV of ``report`` as a data: URI (a page's download link), None without rejected rows.
    Uploads are bounded (the app's MAX_CONTENT_LENGTH), so is this."""
    if report is None or not report.rejected_records:
        return None
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(render_rejects(report, "csv")).decode("ascii")
