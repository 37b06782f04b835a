"""Consortium rows for fair shortlists: for each request no single workshop can fill, its groups."""

from __future__ import annotations

from typing import Any

from matcher.consortium.service import consortia
from matcher.errors import InputError
from matcher.schema import BuyerRequest

COLUMNS = ["request_id", "buyer_name", "group", "supplier_id", "supplier_name", "allocated", "capacity_in_window",
           "lead", "status", "why"]


def consortium_rows(engine: Any, requests: list[BuyerRequest]) -> list[dict[str, Any]]:
    """One row per member of each group (or one row saying why there is none); requests one workshop
    can fill alone have no row."""
    rows: list[dict[str, Any]] = []
    for request in requests:
        base = {"request_id": request.request_id, "buyer_name": request.buyer_name}
        try:
            result = consortia(engine, request)
        except InputError as exc:  # an order too large to model: said in its row, the others go on
            rows.append({**base, **dict.fromkeys(COLUMNS[2:-2], ""), "status": "none", "why": str(exc)})
            continue
        if result.status == "none":
            rows.append({**base, "group": "", "supplier_id": "", "supplier_name": "", "allocated": "",
                         "capacity_in_window": "", "lead": "", "status": "none", "why": result.message})
        for g in result.groups:
            status = "optimal" if g.status == "optimal" else f"feasible (gap {g.gap:.2%})"
            rows.extend({**base, "group": g.rank, "supplier_id": m.supplier_id, "supplier_name": m.name,
                         "allocated": m.allocated, "capacity_in_window": m.capacity, "lead": "yes" if m.lead else "",
                         "status": status, "why": g.text} for m in g.members)
    return rows
