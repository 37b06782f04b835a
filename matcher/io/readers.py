"""Read CSV, XLSX, JSON and JSONL files into numbered raw records.

Spreadsheet rows are numbered as the spreadsheet shows them (header = row 1);
JSON items and JSONL lines from 1. Blank cells are dropped ("not stated");
headings are read through their aliases (matcher.io.headers) and columns that are
not part of the contract go into ``extra``. :func:`read_sheet` also keeps each row's
cells as written, for a rejects file, and diagnoses rows that have more cells than
the header (an unquoted separator) once for the whole file.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher import i18n
from matcher.errors import FieldProblem, FileFormatError
from matcher.io.headers import REQUIRED_COLUMNS, Columns, read_header
from matcher.schema import Kind

__all__ = ["REQUIRED_COLUMNS", "SUFFIXES", "Record", "Sheet", "read_records", "read_sheet"]

SUFFIXES = (".csv", ".tsv", ".xlsx", ".json", ".jsonl")
LIST_FIELDS = ("products", "materials", "techniques", "certifications", "sustainability", "hs_codes",
               "export_markets", "languages", "required_certifications", "preferred_certifications",
               "preferred_countries")
TOO_MANY = "__too_many_cells__"

Record = tuple[int, dict[str, Any]]


@dataclass
class Sheet:
    """What a file holds: its records, and for sheets the header and each row's cells as written."""

    file: str
    records: list[Record]
    header: list[str] = field(default_factory=list)
    cells: dict[int, list[Any]] = field(default_factory=dict)
    columns: Columns | None = None
    delimiter: str | None = None
    problems: list[FieldProblem] = field(default_factory=list)  # about the whole file


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileFormatError(
            path.name,
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
            "save it as 'CSV UTF-8' and import again",
        ) from None


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _tabular(name: str, kind: Kind, header: list[Any], rows: list[tuple[int, list[Any]]],
             delimiter: str | None = None) -> Sheet:
    cols = read_header(name, kind, header)
    sheet = Sheet(name, [], [str(h) if h is not None else "" for h in header], columns=cols, delimiter=delimiter)
    width, ragged = len(cols.fields), []
    for number, cells in rows:
        if all(_blank(c) for c in cells):
            continue
        sheet.cells[number] = list(cells)
        record: dict[str, Any] = {}
        extra: dict[str, str] = {}
        if any(not _blank(c) for c in cells[width:]):
            ragged.append(number)
            record[TOO_MANY] = (len(cells), width)
        for pos, (name_, cell) in enumerate(zip(cols.fields, cells, strict=False)):
            if _blank(cell) or pos in cols.ignored:
                continue
            if name_ is not None:
                record[name_] = cell
            elif sheet.header[pos].strip():
                extra[sheet.header[pos].strip().lower()] = cell.isoformat()[:10] if hasattr(cell, "isoformat") \
                    else str(cell).strip()
        if extra:
            record["extra"] = extra
        sheet.records.append((number, record))
    if not sheet.records:
        raise FileFormatError(name, "has a header but no data rows")
    if ragged:
        sheet.problems.append(_ragged(name, kind, cols, ragged, delimiter))
    return sheet


def _ragged(name: str, kind: Kind, cols: Columns, rows: list[int], delimiter: str | None) -> FieldProblem:
    """One message for every row with too many cells: the separator that caused it, and the fix."""
    shown = ", ".join(str(r) for r in rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
    params: dict[str, Any] = {"n": len(rows), "rows": shown, "columns": len(cols.fields)}
    lists = [f for f in cols.fields if f in LIST_FIELDS]
    if delimiter == ";" and lists:
        msgid = "import.ragged_semicolon"
        params["lists"] = ", ".join(lists)
    elif delimiter:
        msgid = "import.ragged_delimiter"
        params["delimiter"] = {"\t": "tab"}.get(delimiter, delimiter)
    else:
        msgid = "import.ragged_sheet"
    return FieldProblem("", i18n.msg("en", msgid, **params), None, name, msgid, params)


def _read_csv(path: Path, kind: Kind) -> Sheet:
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise FileFormatError(path.name, "is empty")
    first = text.splitlines()[0]
    # The header holds no list cells, so its most frequent separator is the delimiter
    # (French spreadsheets export ';').
    delimiter = "\t" if path.suffix == ".tsv" else max([",", ";", "\t"], key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileFormatError(path.name, f"is not valid CSV ({exc})") from None
    return _tabular(path.name, kind, rows[0], list(enumerate(rows[1:], start=2)), delimiter)


def _read_xlsx(path: Path, kind: Kind) -> Sheet:
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise FileFormatError(path.name, f"is not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        sheet = workbook.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not rows:
        raise FileFormatError(path.name, "is empty")
    return _tabular(path.name, kind, rows[0], list(enumerate(rows[1:], start=2)))


def _read_json(path: Path, kind: Kind) -> Sheet:
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise FileFormatError(path.name, "is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise FileFormatError(path.name, f"is not valid JSON ({where}: {exc.msg})") from None
    plural = f"{kind}s"
    if isinstance(data, dict) and plural in data:
        data = data[plural]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise FileFormatError(path.name, f"must hold a JSON object, a list of objects or {{\"{plural}\": [...]}}")
    if not data:
        raise FileFormatError(path.name, f"holds no {plural}")
    return Sheet(path.name, list(enumerate(data, start=1)))


def _read_jsonl(path: Path, kind: Kind) -> Sheet:
    text = _decode(path, path.read_bytes())
    records: list[Record] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise FileFormatError(path.name, f"line {number} is not valid JSON ({exc.msg})") from None
    if not records:
        raise FileFormatError(path.name, "is empty")
    return Sheet(path.name, records)


def read_sheet(path: str | Path, kind: Kind) -> Sheet:
    """The records of ``kind`` ('supplier' or 'request') in a file, with its header and cells."""
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(str(path), "file not found")
    suffix = path.suffix.lower()
    readers = {".csv": _read_csv, ".tsv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json, ".jsonl": _read_jsonl}
    if suffix not in readers:
        raise FileFormatError(path.name, f"unsupported file type '{suffix}'; use one of {', '.join(SUFFIXES)}")
    return readers[suffix](path, kind)


def read_records(path: str | Path, kind: Kind) -> list[Record]:
    """Numbered raw records of ``kind`` ('supplier' or 'request') from a file."""
    return read_sheet(path, kind).records
