"""One tabular writer for every export: CSV and XLSX from pandas frames.

Every text cell that a spreadsheet would run as a formula is neutralised (OWASP CSV injection);
CSV is UTF-8 with a BOM (so spreadsheet programs read it as UTF-8) and CRLF line ends (RFC 4180);
XLSX sheets get a frozen header row, column widths from their content and wrapped text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_COLUMN_WIDTH = 60


def safe_cell(value: Any) -> Any:
    """Text that starts like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass
class Table:
    """A titled table: column names and rows (lists in column order, or dicts keyed by column)."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any] | dict[str, Any]]

    def cells(self) -> list[list[Any]]:
        """The rows as lists in column order (for HTML; unescaped, the template escapes)."""
        return [[r.get(c) for c in self.columns] if isinstance(r, dict) else list(r) for r in self.rows]

    def frame(self) -> pd.DataFrame:
        """The rows as a frame of formula-safe cells (for CSV and XLSX)."""
        return pd.DataFrame(self.cells(), columns=list(self.columns), dtype=object).map(safe_cell)


def to_csv(*tables: Table) -> bytes:
    """One table as plain CSV; several as sections, each opened by a '# title' line."""
    buf = io.StringIO()
    for n, table in enumerate(tables):
        if len(tables) > 1:
            buf.write(("\r\n" if n else "") + f"# {table.title.lower()}\r\n")
        table.frame().to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def sheet_names(titles: Sequence[str]) -> list[str]:
    """Worksheet names for ``titles``: without the characters Excel refuses (``: \\ / ? * [ ]``, openpyxl's
    own list), at most 31 characters, distinct (" (2)"... when two titles meet after that)."""
    from openpyxl.workbook.child import INVALID_TITLE_REGEX

    names: list[str] = []
    for title in titles:
        base = " ".join(INVALID_TITLE_REGEX.sub(" ", title).split())[:31] or "Sheet"
        name, n = base, 1
        while name.lower() in (x.lower() for x in names):
            n += 1
            name = f"{base[:31 - len(f' ({n})')]} ({n})"
        names.append(name)
    return names


def to_xlsx(*tables: Table) -> bytes:
    """One worksheet per table, named by its title."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    buf = io.BytesIO()
    names = sheet_names([t.title for t in tables])
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for table, name in zip(tables, names, strict=True):
            frame = table.frame()
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for col, name in enumerate(frame.columns, start=1):
                longest = max([len(str(name)), *(len(str(v)) for v in frame[name] if v is not None)])
                sheet.column_dimensions[get_column_letter(col)].width = min(longest + 2, MAX_COLUMN_WIDTH)
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # openpyxl would take a leading '=' for a formula
    return buf.getvalue()
