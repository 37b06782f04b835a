"""Fair shortlists people read: per buyer its suppliers, per supplier the buyers who want to meet it.

Each buyer gets its own section (heading, request, its suppliers with why); a supplier scoring
below the minimum score is left out (it would waste a meeting slot), as are fillers (workshops
that make nothing of the requested family: the engine leaves them out). A buyer left with no
supplier gets its nearest misses, each with what it lacks (or, when every supplier was cut by the
minimum score, the best of those, said so). Column headings and statuses come from the catalogue.

Formats: ``html`` (printable, grouped, every cell ``dir="auto"`` so Arabic reads right to left),
``xlsx`` (one sheet per table, frozen headers, widths, wrapped text), ``csv`` (the per-buyer table:
one table per CSV file) and ``zip`` (every table as its own CSV file).
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher import i18n
from matcher.bounds import SHORTLIST_NEAREST
from matcher.consortium.shortlist import COLUMNS as CONSORTIUM_COLUMNS
from matcher.errors import InputError
from matcher.explain import Match, MatchResult
from matcher.exports import html
from matcher.exports.tabular import Table, to_csv, to_xlsx
from matcher.schema import BuyerRequest

BUYER_COLUMNS = ["request_id", "buyer_name", "buyer_country", "status", "rank", "supplier_id", "supplier_name",
                 "supplier_country", "score", "why"]
SUPPLIER_COLUMNS = ["supplier_id", "supplier_name", "supplier_country", "n_buyers", "buyers"]
FORMATS = ("csv", "zip", "xlsx", "html")
MIME_TYPES = {"csv": "text/csv", "zip": "application/zip", "html": "text/html",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
Results = list[tuple[BuyerRequest, MatchResult]]


@dataclass
class BuyerSection:
    """One buyer's part of the shortlist."""

    request: BuyerRequest
    matches: list[Match]
    misses: list[Match] = field(default_factory=list)
    miss_status: str = ""  # near_miss (ineligible) | below_min (cut by the minimum score)
    message: str = ""
    n_below_min: int = 0


def sections(results: Results, min_score: float = 0.0) -> list[BuyerSection]:
    """Per buyer: the suppliers kept (score >= ``min_score``, no fillers), else the nearest misses."""
    out = []
    for request, result in results:
        candidates = [m for m in result.matches if not m.filler]
        kept = [m for m in candidates if m.score >= min_score]
        section = BuyerSection(request, kept, n_below_min=len(candidates) - len(kept))
        if not kept:
            section.message = result.message or ""
            if result.near_misses:
                section.misses, section.miss_status = result.near_misses[:SHORTLIST_NEAREST], "near_miss"
            elif candidates:
                section.misses, section.miss_status = candidates[:SHORTLIST_NEAREST], "below_min"
        out.append(section)
    return out


def with_nearest(engine: Any, results: Results, match_all: Any = None) -> Results:
    """``results`` where a buyer with no supplier also has its nearest misses: when the engine found
    none ineligible (every eligible workshop makes nothing of the family), those it left out, asked
    for again with ``include_ineligible`` (through ``match_all(requests, top_k, include_ineligible)``,
    default the engine's)."""
    match_all = match_all or engine.match_all
    empty = [request for request, result in results
             if not result.matches and not result.near_misses and result.n_suppliers]
    wider = dict(zip([id(r) for r in empty], match_all(empty, top_k=SHORTLIST_NEAREST, include_ineligible=True),
                     strict=True)) if empty else {}
    out = []
    for request, result in results:
        if id(request) in wider:
            result = result.model_copy(update={"near_misses": wider[id(request)][1].matches})
        out.append((request, result))
    return out


def _status(status: str, m: Match, min_score: float, loc: str) -> str:
    if status == "near_miss" and m.filler and not m.lacks:
        return i18n.msg(loc, "shortlist.status.filler")
    if status == "near_miss":
        return i18n.msg(loc, "shortlist.status.near_miss", lacks=", ".join(m.lacks) or "-")
    if status == "below_min":
        return i18n.msg(loc, "shortlist.status.below_min", min=f"{min_score:g}")
    return i18n.msg(loc, "shortlist.status.match")


def _why(m: Match) -> str:
    return "; ".join(r.text for r in m.reasons[:3])


def build(results: Results, min_score: float = 0.0, locale: str = "en") -> tuple[list[dict], list[dict]]:
    """(per-buyer rows, per-supplier rows): the shortlist as data (the API's JSON, every file's tables)."""
    loc = i18n.locale_for(locale)
    buyer_rows: list[dict] = []
    by_supplier: dict[str, dict] = {}
    appearances: dict[str, list[str]] = defaultdict(list)
    for s in sections(results, min_score):
        r = s.request
        base = {"request_id": r.request_id, "buyer_name": r.buyer_name, "buyer_country": r.buyer_country}
        rows = [(m, "match") for m in s.matches] + [(m, s.miss_status) for m in s.misses]
        if not rows:
            buyer_rows.append({**base, **dict.fromkeys(BUYER_COLUMNS[3:], ""),
                               "status": i18n.msg(loc, "shortlist.status.none"), "why": s.message})
        for m, status in rows:
            buyer_rows.append({**base, "status": _status(status, m, min_score, loc), "rank": m.rank,
                               "supplier_id": m.supplier_id, "supplier_name": m.name, "supplier_country": m.country,
                               "score": round(m.score, 3), "why": _why(m)})
            if status == "match":
                by_supplier.setdefault(m.supplier_id, {"supplier_id": m.supplier_id, "supplier_name": m.name,
                                                       "supplier_country": m.country})
                appearances[m.supplier_id].append(f"{r.buyer_name} (#{m.rank})")
    supplier_rows = [{**row, "n_buyers": len(appearances[sid]), "buyers": "; ".join(appearances[sid])}
                     for sid, row in sorted(by_supplier.items(), key=lambda kv: (-len(appearances[kv[0]]), kv[0]))]
    return buyer_rows, supplier_rows


def heading(column: str, loc: str) -> str:
    """A column's heading in ``loc`` (its key when the catalogue has none)."""
    msgid = f"shortlist.col.{column}"
    return i18n.msg(loc, msgid) if i18n.has(msgid) else column


def tables(results: Results, consortia: list[dict] | None = None, min_score: float = 0.0,
           locale: str = "en") -> list[Table]:
    """The shortlist's tables with headings in ``locale``: per buyer, per supplier, consortia (when any)."""
    loc = i18n.locale_for(locale)
    buyers, suppliers = build(results, min_score, loc)

    def table(title: str, columns: list[str], rows: list[dict]) -> Table:
        return Table(i18n.msg(loc, title), [heading(c, loc) for c in columns], [[r.get(c) for c in columns]
                                                                                 for r in rows])

    out = [table("shortlist.per_buyer", BUYER_COLUMNS, buyers), table("shortlist.per_supplier", SUPPLIER_COLUMNS,
                                                                      suppliers)]
    if consortia:  # requests no single workshop can fill (matcher.consortium.shortlist)
        out.append(table("shortlist.consortia", CONSORTIUM_COLUMNS, consortia))
    return out


def _zip(parts: list[Table]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, table in zip(("buyers", "suppliers", "consortia"), parts, strict=False):
            z.writestr(f"{name}.csv", to_csv(table))
    return buf.getvalue()


def _html(results: Results, consortia: list[dict] | None, min_score: float, loc: str) -> bytes:
    all_tables = tables(results, consortia, min_score, loc)
    suppliers = all_tables[1]
    text = {k: i18n.msg(loc, f"shortlist.{k}") for k in ("title", "per_buyer", "per_supplier", "consortia",
                                                          "nearest", "below_min_title")}
    def cut(n: int) -> str:
        return i18n.msg(loc, "shortlist.cut", n=n, min=f"{min_score:g}")

    return html.render("matcher.exports", "shortlist.html", title=text["title"], text=text, lang=loc,
                       dir=i18n.direction(loc), sections=sections(results, min_score), suppliers=suppliers,
                       consortia=all_tables[2] if len(all_tables) > 2 else None, min_score=min_score,
                       filler=i18n.msg(loc, "shortlist.status.filler"), h=lambda c: heading(c, loc),
                       cut=cut).encode("utf-8")


def render(results: Results, fmt: str, consortia: list[dict] | None = None, min_score: float = 0.0,
           locale: str = "en") -> bytes:
    """The shortlist file's bytes in ``fmt`` (csv, zip, xlsx or html)."""
    if fmt not in FORMATS:
        raise InputError(f"shortlist can be written as {', '.join(FORMATS)}, not '{fmt}'")
    loc = i18n.locale_for(locale)
    if fmt == "html":
        return _html(results, consortia, min_score, loc)
    parts = tables(results, consortia, min_score, loc)
    if fmt == "xlsx":
        return to_xlsx(*parts)
    return _zip(parts) if fmt == "zip" else to_csv(parts[0])


def export(results: Results, out: str | Path, consortia: list[dict] | None = None, min_score: float = 0.0,
           locale: str = "en") -> list[Path]:
    """Write the shortlist to ``out`` (its suffix is the format); a .csv also gets one file per other
    table beside it (``NAME-suppliers.csv``, ``NAME-consortia.csv``). Returns every file written."""
    path = Path(out)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"{path.name}: shortlist can be written as .csv, .zip, .xlsx or .html, not '{path.suffix}'")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt != "csv":
        path.write_bytes(render(results, fmt, consortia, min_score, locale))
        return [path]
    written = []
    for suffix, table in zip(("", "-suppliers", "-consortia"), tables(results, consortia, min_score, locale),
                             strict=False):
        target = path.with_name(f"{path.stem}{suffix}.csv")
        target.write_bytes(to_csv(table))
        written.append(target)
    return written


def min_score_of(raw: str | None) -> float:
    """A minimum score as a form gives it ('0.4', '0,4'); outside 0-1 or unreadable: no cut (0)."""
    try:
        value = float((raw or "0").replace(",", "."))
    except ValueError:
        return 0.0
    return value if 0.0 <= value <= 1.0 else 0.0
