"""Who may be a member of a consortium for one scored request, and why the others may not.

A workshop is a **candidate** when it meets every rule a member must meet, all read from the
engine's own arrays (one engine, one set of rules):

1. *eligible*: every must-have of the request is met (``ScoredRequest.eligible``);
2. *same product*: the ``product`` factor is full (1.0): it makes every product type the request
   names, or, when the request names only a family or an HS code, it is in that family;
3. *price*: when the buyer gives a ceiling, the workshop's stated unit-price range lies within it
   (``price_max <= ceiling``; a workshop that states no price cannot be shown to be within it);
4. *material*: it states at least one material and, when the request names materials, works one of
   them (the group then shares one, see :mod:`matcher.consortium.solver`);
5. *capacity*: in the buyer's window it can make at least its own minimum order and no more than
   the order needs it to (``moq <= quantity``).

Capacity in the window is whole pieces: ``floor(monthly_capacity * window_days / 30)``, the
capacity factor's rule. Optimality of a group is over these candidates; the others cannot be
members whatever the solver does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher import vocab
from matcher.factors.base import Reason, terms
from matcher.scoring import ScoredRequest

SCALE = 10_000  # match scores enter the integer model to 1/10 000 (the 4 decimals a match shows)
MAX_PIECES = 10**12  # capacities and minimum orders are capped here so integer arithmetic stays exact


def capacity_in_window(monthly: np.ndarray, window_days: float) -> np.ndarray:
    """Whole pieces a workshop makes in ``window_days`` (the capacity factor's monthly × days / 30)."""
    pieces = np.floor(np.asarray(monthly, dtype=np.float64) * window_days / 30.0 + 1e-9)
    return np.minimum(pieces, MAX_PIECES).astype(np.int64)


def technique_ids(techniques: list[str]) -> set[str]:
    """Canonical technique ids, without the generic ones (polishing, finishing, firing) every workshop does."""
    v = vocab.load("techniques")
    return {t for t in v.canonicalize(techniques)
            if not (t in v.concepts and v.concepts[t].attrs.get("generic"))}


def product_terms(scored: ScoredRequest) -> dict:
    """The request's product as a reason value: its types, else its families."""
    rf = scored.context.features
    return terms("products", rf.types) if rf.types else terms("families", rf.families)


@dataclass
class Candidates:
    """The candidates of one request (positions in the index) and the arrays the solver reads."""

    positions: np.ndarray  # index positions, in index order
    capacity: np.ndarray  # whole pieces in the window
    moq: np.ndarray
    value: np.ndarray  # match score × SCALE, integers
    materials: list[set[str]]
    techniques: list[set[str]]
    exporter: np.ndarray  # has exported before
    allowed_materials: set[str] | None  # the request's materials (the shared one must be among them)
    makes: np.ndarray  # (n,) product factor full
    excluded: list[Reason]  # eligible makers left out, by rule


def find_candidates(scored: ScoredRequest) -> Candidates:
    index, request = scored.index, scored.request
    n, window = len(index), scored.context.window_days
    cols = index.columns_
    makes = (scored.values["product"] >= 1.0 - 1e-9) if "product" in scored.values else np.zeros(n, dtype=bool)
    cap = capacity_in_window(cols["capacity"]["monthly"], window)
    moq = np.minimum(cols["min_order"]["moq"], MAX_PIECES).astype(np.int64)
    base = scored.eligible & makes
    ok_price = np.ones(n, dtype=bool)
    if request.max_unit_price_eur is not None:
        hi = cols["price"]["hi"]
        ok_price = ~np.isnan(hi) & (np.nan_to_num(hi, nan=np.inf) <= request.max_unit_price_eur + 1e-9)
    wanted = set(scored.context.features.materials)
    mats = cols["materials"]["set"]
    ok_material = mats.nonempty() & (mats.any_of(sorted(wanted)) if wanted else True)
    ok_capacity = (cap >= moq) & (moq <= request.quantity)
    keep = base & ok_price & ok_material & ok_capacity
    excluded = []
    days = round(window)
    for kind, mask, values in (
        ("excluded_price", base & ~ok_price, {"max": request.max_unit_price_eur}),
        ("excluded_material" if wanted else "no_material", base & ok_price & ~ok_material,
         {"materials": terms("materials", wanted)} if wanted else {}),
        ("excluded_capacity", base & ok_price & ok_material & ~ok_capacity, {"days": days, "qty": request.quantity}),
    ):
        if mask.any():
            excluded.append(Reason.model_construct(factor="consortium", kind=kind,
                                                   values={"n": int(mask.sum()), **values}, text=""))
    pos = np.flatnonzero(keep)
    sup = scored.suppliers([int(i) for i in pos])
    return Candidates(
        positions=pos, capacity=cap[pos], moq=moq[pos],
        value=np.rint(scored.totals_at(pos) * SCALE).astype(np.int64),
        materials=[mats.row(i) & wanted if wanted else mats.row(i) for i in pos],
        techniques=[technique_ids(s.techniques) for s in sup],
        exporter=cols["export"]["n"][pos] > 0, allowed_materials=wanted or None, makes=makes, excluded=excluded)

