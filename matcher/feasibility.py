"""Can anyone serve the request at all? Quantity, lead time and price against the whole catalogue.

A low score is not an answer to an impossible request (5 000 gold rings in 7 days at 5 euros):
when no eligible workshop of the requested family can meet one of the three, the result says so
plainly, with the best the catalogue offers, and lists nearest misses instead of matches.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel

from matcher import i18n
from matcher.scoring import ScoredRequest


class Feasibility(BaseModel):
    """One thing no single workshop can do, with the best any can."""

    dimension: str  # quantity | lead_time | price | together
    wanted: float | None = None
    best: float | None = None
    text: str


def _fmt(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ") if x >= 1000 else f"{x:g}"


def check(scored: ScoredRequest) -> list[Feasibility]:
    """What nobody among the offered suppliers (eligible, of the requested family) can meet."""
    pool = scored.offered if scored.offered.any() else scored.eligible
    if not pool.any():
        return []
    cols, request, loc = scored.index.columns_, scored.request, i18n.locale_for(scored.language)
    days = scored.context.window_days
    out: list[Feasibility] = []
    can_make = cols["capacity"]["monthly"][pool] * days / 30.0
    meets = [can_make >= request.quantity]
    if not meets[0].any():
        best = float(np.floor(can_make.max()))
        out.append(Feasibility(dimension="quantity", wanted=request.quantity, best=best, text=i18n.msg(
            loc, "result.infeasible.quantity", qty=_fmt(request.quantity), days=round(days), best=_fmt(best))))
    if request.max_lead_time_days:
        lead = cols["lead_time"]["days"][pool]
        meets.append(lead <= request.max_lead_time_days)
        if not meets[-1].any():
            out.append(Feasibility(dimension="lead_time", wanted=request.max_lead_time_days, best=float(lead.min()),
                                   text=i18n.msg(loc, "result.infeasible.lead_time", max=request.max_lead_time_days,
                                                 best=_fmt(float(lead.min())))))
    if request.max_unit_price_eur is not None:
        low = cols["price"]["lo"][pool]
        meets.append(np.isnan(low) | (low <= request.max_unit_price_eur))  # a price not stated may still fit
        if not meets[-1].any():
            out.append(Feasibility(dimension="price", wanted=request.max_unit_price_eur, best=float(np.nanmin(low)),
                                   text=i18n.msg(loc, "result.infeasible.price", max=_fmt(request.max_unit_price_eur),
                                                 best=_fmt(float(np.nanmin(low))))))
    if not out and not np.logical_and.reduce(meets).any():
        out.append(Feasibility(dimension="together", text=i18n.msg(loc, "result.infeasible.together")))
    return out
