"""Can anyone serve the request at all? Quantity, lead time and price against the whole catalogue.

A low score is not an answer to an impossible request (5 000 gold rings in 7 days at 5 euros):
when no eligible workshop of the requested family can meet one of the three, the result says so
plainly, with the best the catalogue offers, and lists nearest misses instead of matches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from matcher import i18n
from matcher.schema import BuyerRequest
from matcher.scoring import ScoredRequest


class Feasibility(BaseModel):
    """One thing no single workshop can do, with the best any can."""

    dimension: str  # quantity | lead_time | price | together
    wanted: float | None = None
    best: float | None = None
    text: str


def _fmt(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ") if x >= 1000 else f"{x:g}"


@dataclass
class PoolStats:
    """What the best suppliers of a pool can do; two pools' stats merge (a catalogue split in parts)."""

    n: int = 0
    can_make: float = -np.inf  # most pieces any can make in the window
    lead: float = np.inf  # shortest lead time
    price_low: float = np.nan  # lowest stated price (NaN: none stated)
    quantity_ok: bool = False
    lead_ok: bool = False
    price_ok: bool = False
    together: bool = False  # one supplier meets all three

    def merge(self, other: PoolStats) -> PoolStats:
        lows = [x for x in (self.price_low, other.price_low) if x == x]
        return PoolStats(self.n + other.n, max(self.can_make, other.can_make), min(self.lead, other.lead),
                         min(lows) if lows else np.nan, self.quantity_ok or other.quantity_ok,
                         self.lead_ok or other.lead_ok, self.price_ok or other.price_ok,
                         self.together or other.together)


def pool_stats(scored: ScoredRequest, pool: np.ndarray) -> PoolStats:
    """:class:`PoolStats` of the suppliers in ``pool`` (a mask over the index)."""
    if not pool.any():
        return PoolStats()
    cols, request = scored.index.columns_, scored.request
    can_make = cols["capacity"]["monthly"][pool] * scored.context.window_days / 30.0
    lead = cols["lead_time"]["days"][pool]
    low = cols["price"]["lo"][pool]
    q_ok = can_make >= request.quantity
    l_ok = lead <= request.max_lead_time_days if request.max_lead_time_days else np.ones(len(lead), dtype=bool)
    p_ok = np.isnan(low) | (low <= request.max_unit_price_eur) if request.max_unit_price_eur is not None \
        else np.ones(len(low), dtype=bool)  # a price not stated may still fit
    return PoolStats(int(pool.sum()), float(can_make.max()), float(lead.min()),
                     float(np.nanmin(low)) if not np.isnan(low).all() else np.nan,
                     bool(q_ok.any()), bool(l_ok.any()), bool(p_ok.any()), bool((q_ok & l_ok & p_ok).any()))


def verdict(offered: PoolStats, eligible: PoolStats, request: BuyerRequest, days: float,
            loc: str) -> list[Feasibility]:
    """What nobody among the offered suppliers (eligible, of the requested family; else the eligible
    ones) can meet."""
    pool = offered if offered.n else eligible
    if not pool.n:
        return []
    out: list[Feasibility] = []
    if not pool.quantity_ok:
        best, qty = float(np.floor(pool.can_make)), request.quantity or 0  # scored requests have one
        out.append(Feasibility(dimension="quantity", wanted=qty, best=best, text=i18n.msg(
            loc, "result.infeasible.quantity", qty=_fmt(qty), days=round(days), best=_fmt(best))))
    if request.max_lead_time_days and not pool.lead_ok:
        out.append(Feasibility(dimension="lead_time", wanted=request.max_lead_time_days, best=pool.lead,
                               text=i18n.msg(loc, "result.infeasible.lead_time", max=request.max_lead_time_days,
                                             best=_fmt(pool.lead))))
    if request.max_unit_price_eur is not None and not pool.price_ok:
        out.append(Feasibility(dimension="price", wanted=request.max_unit_price_eur, best=pool.price_low,
                               text=i18n.msg(loc, "result.infeasible.price", max=_fmt(request.max_unit_price_eur),
                                             best=_fmt(pool.price_low))))
    if not out and not pool.together:
        out.append(Feasibility(dimension="together", text=i18n.msg(loc, "result.infeasible.together")))
    return out


def check(scored: ScoredRequest) -> list[Feasibility]:
    """What nobody among the offered suppliers (eligible, of the requested family) can meet."""
    whole = summarise(scored)
    return verdict(whole.offered, whole.eligible, scored.request, scored.context.window_days,
                   i18n.locale_for(scored.language))


@dataclass
class Summary:
    """What a result says about the whole catalogue: counts and the pools' statistics. Parts of a
    catalogue scored apart (matcher.distributed) merge theirs into the whole's."""

    n_suppliers: int
    n_eligible: int
    n_filler: int  # eligible but making nothing of the requested family
    offered: PoolStats
    eligible: PoolStats

    def merge(self, other: Summary) -> Summary:
        return Summary(self.n_suppliers + other.n_suppliers, self.n_eligible + other.n_eligible,
                       self.n_filler + other.n_filler, self.offered.merge(other.offered),
                       self.eligible.merge(other.eligible))


def summarise(scored: ScoredRequest) -> Summary:
    """The eligible pool's statistics are read only when nobody is offered: :func:`verdict` reads
    them then alone (and a merged summary has an offered supplier only if some part had one)."""
    offered = pool_stats(scored, scored.offered)
    eligible = pool_stats(scored, scored.eligible) if not offered.n else PoolStats()
    return Summary(scored.index.n_live, int(scored.eligible.sum()), int((scored.eligible & scored.filler).sum()),
                   offered, eligible)
