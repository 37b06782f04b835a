"""Fair shortlists: per buyer its top suppliers, per supplier the buyers it appears for.

Exports CSV, XLSX and a printable HTML page. Spreadsheet cells that a
spreadsheet program would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import html
import io
from collections import defaultdict
from pathlib import Path

from matcher.errors import InputError
from matcher.explain import MatchResult
from matcher.factors.base import Reason
from matcher.schema import BuyerRequest

BUYER_COLUMNS = ["request_id", "buyer_name", "buyer_country", "rank", "supplier_id", "supplier_name",
                 "supplier_country", "score", "why"]
SUPPLIER_COLUMNS = ["supplier_id", "supplier_name", "supplier_country", "n_buyers", "buyers"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """Text that starts like a formula gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _why(reasons: list[Reason]) -> str:
    return "; ".join(r.text for r in reasons[:3])


def build(results: list[tuple[BuyerRequest, MatchResult]]) -> tuple[list[dict], list[dict]]:
    """(per-buyer rows, per-supplier rows)."""
    buyer_rows: list[dict] = []
    by_supplier: dict[str, dict] = {}
    appearances: dict[str, list[str]] = defaultdict(list)
    for request, result in results:
        if not result.matches:
            buyer_rows.append({
                "request_id": request.request_id, "buyer_name": request.buyer_name,
                "buyer_country": request.buyer_country, "rank": "", "supplier_id": "", "supplier_name": "",
                "supplier_country": "", "score": "", "why": result.message or "no match",
            })
        for m in result.matches:
            buyer_rows.append({
                "request_id": request.request_id, "buyer_name": request.buyer_name,
                "buyer_country": request.buyer_country, "rank": m.rank, "supplier_id": m.supplier_id,
                "supplier_name": m.name, "supplier_country": m.country, "score": round(m.score, 3),
                "why": _why(m.reasons),
            })
            by_supplier.setdefault(m.supplier_id, {"supplier_id": m.supplier_id, "supplier_name": m.name,
                                                   "supplier_country": m.country})
            appearances[m.supplier_id].append(f"{request.buyer_name} (#{m.rank})")
    supplier_rows = []
    for sid, row in sorted(by_supplier.items(), key=lambda kv: (-len(appearances[kv[0]]), kv[0])):
        supplier_rows.append({**row, "n_buyers": len(appearances[sid]), "buyers": "; ".join(appearances[sid])})
    return buyer_rows, supplier_rows


def _csv(buyers: list[dict], suppliers: list[dict]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(["# per buyer"])
    writer.writerow(BUYER_COLUMNS)
    writer.writerows([safe_cell(r[c]) for c in BUYER_COLUMNS] for r in buyers)
    writer.writerow([])
    writer.writerow(["# per supplier"])
    writer.writerow(SUPPLIER_COLUMNS)
    writer.writerows([safe_cell(r[c]) for c in SUPPLIER_COLUMNS] for r in suppliers)
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel then reads UTF-8


def _xlsx(buyers: list[dict], suppliers: list[dict]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Per buyer"
    for title, columns, rows, ws in (
        ("Per buyer", BUYER_COLUMNS, buyers, sheet),
        ("Per supplier", SUPPLIER_COLUMNS, suppliers, None),
    ):
        ws = ws or wb.create_sheet(title)
        ws.append(columns)
        for r in rows:
            ws.append([safe_cell(r[c]) for c in columns])
        # openpyxl would store a leading '=' as a formula; force every cell to text/number.
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _html_table(columns: list[str], rows: list[dict]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r[c] if r[c] is not None else ''))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html(buyers: list[dict], suppliers: list[dict]) -> bytes:
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>B2B fair shortlist</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
        "td,th{border:1px solid #999;padding:4px 6px;font-size:12px;vertical-align:top}"
        "@media print{h2{page-break-before:always}}</style></head><body>"
        "<h1>B2B fair shortlist</h1><h2>Per buyer</h2>"
        f"{_html_table(BUYER_COLUMNS, buyers)}<h2>Per supplier</h2>{_html_table(SUPPLIER_COLUMNS, suppliers)}"
        "</body></html>"
    )
    return page.encode("utf-8")


RENDERERS = {"csv": _csv, "xlsx": _xlsx, "html": _html}
MIME_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "html": "text/html"}


def render(results: list[tuple[BuyerRequest, MatchResult]], fmt: str) -> bytes:
    """The shortlist file's bytes in ``fmt`` (csv, xlsx or html)."""
    if fmt not in RENDERERS:
        raise InputError(f"shortlist can be written as csv, xlsx or html, not '{fmt}'")
    return RENDERERS[fmt](*build(results))


def export(results: list[tuple[BuyerRequest, MatchResult]], out: str | Path) -> Path:
    path = Path(out)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in RENDERERS:
        raise InputError(f"{path.name}: shortlist can be written as .csv, .xlsx or .html, not '{path.suffix}'")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(results, fmt))
    return path
