"""Read CSV, XLSX, JSON and JSONL files into numbered raw records.

Spreadsheet rows are numbered as the spreadsheet shows them (header = row 1);
JSON items and JSONL lines from 1. Blank cells are dropped ("not stated");
columns that are not part of the contract go into ``extra``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from matcher.errors import FileFormatError
from matcher.schema import MODELS, Kind

SUFFIXES = (".csv", ".tsv", ".xlsx", ".json", ".jsonl")
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "supplier": ("supplier_id", "name", "country", "description", "products", "monthly_capacity", "lead_time_days"),
    "request": ("buyer_name", "description"),
}

Record = tuple[int, dict[str, Any]]


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


def _tabular_records(name: str, kind: Kind, header: list[Any], rows: list[tuple[int, list[Any]]]) -> list[Record]:
    columns = [str(h).strip().lower() if h is not None else "" for h in header]
    if not any(columns):
        raise FileFormatError(name, "the first row must be a header naming the columns")
    seen: set[str] = set()
    for col in columns:
        if col and col in seen:
            raise FileFormatError(name, f"column '{col}' appears twice in the header")
        seen.add(col)
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in seen]
    if missing:
        raise FileFormatError(name, f"missing required column(s): {', '.join(missing)}")
    known = set(MODELS[kind].model_fields) - {"extra"}
    records: list[Record] = []
    for number, cells in rows:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        record: dict[str, Any] = {}
        extra: dict[str, str] = {}
        if len(cells) > len(columns):
            surplus = [c for c in cells[len(columns):] if c not in (None, "")]
            if surplus:
                record["__too_many_cells__"] = f"has {len(cells)} cells but the header has {len(columns)} columns"
        for col, cell in zip(columns, cells, strict=False):
            if not col or cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            if col in known:
                record[col] = cell
            else:
                extra[col] = str(cell).strip()
        if extra:
            record["extra"] = extra
        records.append((number, record))
    if not records:
        raise FileFormatError(name, "has a header but no data rows")
    return records


def _read_csv(path: Path, kind: Kind) -> list[Record]:
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
    return _tabular_records(path.name, kind, rows[0], [(n, r) for n, r in enumerate(rows[1:], start=2)])


def _read_xlsx(path: Path, kind: Kind) -> list[Record]:
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
    return _tabular_records(path.name, kind, rows[0], [(n, r) for n, r in enumerate(rows[1:], start=2)])


def _read_json(path: Path, kind: Kind) -> list[Record]:
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
    return list(enumerate(data, start=1))


def _read_jsonl(path: Path, kind: Kind) -> list[Record]:
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
    return records


def read_records(path: str | Path, kind: Kind) -> list[Record]:
    """Numbered raw records of ``kind`` ('supplier' or 'request') from a file."""
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(str(path), "file not found")
    suffix = path.suffix.lower()
    readers = {".csv": _read_csv, ".tsv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json, ".jsonl": _read_jsonl}
    if suffix not in readers:
        raise FileFormatError(path.name, f"unsupported file type '{suffix}'; use one of {', '.join(SUFFIXES)}")
    return readers[suffix](path, kind)
