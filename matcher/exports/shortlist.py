"""Fair shortlists: per buyer its top suppliers, per supplier the buyers it appears for.

Exports CSV, XLSX (the shared tabular writer) and a printable HTML page (a Jinja template).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from matcher.consortium.shortlist import COLUMNS as CONSORTIUM_COLUMNS
from matcher.errors import InputError
from matcher.explain import MatchResult
from matcher.exports import html
from matcher.exports.tabular import Table, to_csv, to_xlsx
from matcher.factors.base import Reason
from matcher.schema import BuyerRequest

BUYER_COLUMNS = ["request_id", "buyer_name", "buyer_country", "rank", "supplier_id", "supplier_name",
                 "supplier_country", "score", "why"]
SUPPLIER_COLUMNS = ["supplier_id", "supplier_name", "supplier_country", "n_buyers", "buyers"]
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


def _tables(buyers: list[dict], suppliers: list[dict], groups: list[dict] | None = None) -> list[Table]:
    out = [Table("Per buyer", BUYER_COLUMNS, buyers), Table("Per supplier", SUPPLIER_COLUMNS, suppliers)]
    if groups:  # consortia: requests no single workshop can fill (matcher.consortium.shortlist)
        out.append(Table("Consortia", CONSORTIUM_COLUMNS, groups))
    return out


def _csv(buyers: list[dict], suppliers: list[dict], groups: list[dict] | None = None) -> bytes:
    return to_csv(*_tables(buyers, suppliers, groups))


def _xlsx(buyers: list[dict], suppliers: list[dict], groups: list[dict] | None = None) -> bytes:
    return to_xlsx(*_tables(buyers, suppliers, groups))


def _html(buyers: list[dict], suppliers: list[dict], groups: list[dict] | None = None) -> bytes:
    by_buyer, by_supplier, *consortia = _tables(buyers, suppliers, groups)
    return html.render("matcher.exports", "shortlist.html", title="B2B fair shortlist", buyers=by_buyer,
                       suppliers=by_supplier, consortia=consortia[0] if consortia else None).encode("utf-8")


RENDERERS = {"csv": _csv, "xlsx": _xlsx, "html": _html}
MIME_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "html": "text/html"}


def render(results: list[tuple[BuyerRequest, MatchResult]], fmt: str, consortia: list[dict] | None = None) -> bytes:
    """The shortlist file's bytes in ``fmt`` (csv, xlsx or html); ``consortia``: rows of a Consortia section."""
    if fmt not in RENDERERS:
        raise InputError(f"shortlist can be written as csv, xlsx or html, not '{fmt}'")
    return RENDERERS[fmt](*build(results), consortia)


def export(results: list[tuple[BuyerRequest, MatchResult]], out: str | Path,
           consortia: list[dict] | None = None) -> Path:
    path = Path(out)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in RENDERERS:
        raise InputError(f"{path.name}: shortlist can be written as .csv, .xlsx or .html, not '{path.suffix}'")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(results, fmt, consortia))
    return path
