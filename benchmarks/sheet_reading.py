"""Sheet reading: the project's reader (csv module / openpyxl) beside pandas, on what the importer needs.

Builds a 5 000-row supplier sheet from data/suppliers.csv (new ids; one blank row, one cell with a
line break, one row shifted by an unquoted ';' list) as ';'-separated CSV and as XLSX, then reports
for each reader: time (median of 5 runs), whether every record keeps the row number the spreadsheet
shows, whether the shifted row is diagnosed (and the rows after it kept), and whether cells keep
their text as written ("1 200", "007", "12,5").

    python benchmarks/sheet_reading.py [--rows 5000]
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from matcher.io.readers import read_sheet

DATA = Path(__file__).resolve().parent.parent / "data"


def make_rows(n: int) -> tuple[list[str], list[list[str]]]:
    with open(DATA / "suppliers.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    out = []
    for i in range(n):
        row = list(body[i % len(body)])
        row[0] = f"B-{i:05d}"
        row[header.index("monthly_capacity")] = "1 200" if i % 7 == 0 else row[header.index("monthly_capacity")]
        row[header.index("employees")] = "007" if i % 11 == 0 else row[header.index("employees")]
        out.append(row)
    out[10][header.index("description")] += "\nsuite sur une deuxième ligne"
    return header, out


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> dict[int, str]:
    """Writes the sheet with a blank row after row 100 and an unquoted list at data row 200; returns the
    spreadsheet row number of every id."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(header)
    where, number = {}, 1
    for i, row in enumerate(rows):
        number += 1
        if i == 200:
            buf.write(";".join(row).replace("\n", " ") + "\n")  # unquoted: its lists shift the row
        else:
            w.writerow(row)
        where[row[0]] = number
        if i == 100:
            buf.write("\n")
            number += 1
    path.write_text(buf.getvalue(), "utf-8")
    return where


def timed(fn, repeats: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    header, rows = make_rows(args.rows)
    tmp = Path(tempfile.mkdtemp())
    where = write_csv(tmp / "s.csv", header, rows)
    shifted_id = rows[200][0]

    t_ours, sheet = timed(lambda: read_sheet(tmp / "s.csv", "supplier"))
    ours = {r["supplier_id"]: n for n, r in sheet.records}
    ours_ok = sum(ours.get(k) == v for k, v in where.items() if k != shifted_id)
    print(f"{'reader':34} {'seconds':>8} {'rows right':>11}  shifted row / after it / text kept")
    print(f"{'csv module (matcher.io.readers)':34} {t_ours:8.3f} {ours_ok:>5}/{len(where) - 1:<5}  "
          f"{'diagnosed' if sheet.problems else 'missed'} / kept / "
          f"{sheet.records[0][1]['monthly_capacity'] == '1 200'}")

    def pandas_c() -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pd.read_csv(tmp / "s.csv", sep=";", dtype=str, keep_default_na=False, on_bad_lines="warn")

    t_c, frame = timed(pandas_c)
    right = sum(where.get(sid) == i + 2 for i, sid in enumerate(frame["supplier_id"]) if sid in where)
    print(f"{'pandas C engine, sep=;':34} {t_c:8.3f} {right:>5}/{len(where) - 1:<5}  "
          f"{'skipped (warning only)' if shifted_id not in set(frame['supplier_id']) else 'kept'} / kept / "
          f"{frame['monthly_capacity'].iloc[0] == '1 200'}")
    try:
        pd.read_csv(tmp / "s.csv", sep=";", dtype=str, keep_default_na=False)
        strict = "read"
    except pd.errors.ParserError as exc:
        strict = f"stops: {str(exc).strip()[:90]}"
    print(f"{'pandas C engine, default errors':34} {'':>8} {'':>11}  {strict}")

    def pandas_sniff() -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pd.read_csv(tmp / "s.csv", sep=None, engine="python", dtype=str, keep_default_na=False,
                               on_bad_lines="warn")

    t_py, sniffed = timed(pandas_sniff)
    print(f"{'pandas python engine, sep sniffed':34} {t_py:8.3f} {'':>11}  columns found: {len(sniffed.columns)} "
          f"of {len(header)}")

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(tmp / "s.xlsx")
    t_x, _ = timed(lambda: read_sheet(tmp / "s.xlsx", "supplier"), 3)
    t_px, _ = timed(lambda: pd.read_excel(tmp / "s.xlsx", dtype=str), 3)
    print(f"{'XLSX: openpyxl read-only (ours)':34} {t_x:8.3f}")
    print(f"{'XLSX: pandas.read_excel':34} {t_px:8.3f}")


if __name__ == "__main__":
    main()
