"""Per-factor compatibility scores in [0, 1], vectorised over every supplier.

A factor the buyer said nothing about (no price ceiling, no preferred
certification) is *not applicable*: it gets no score and its weight is left
out of the normalisation, so totals stay comparable between requests.
Must-haves are not factors: they decide eligibility.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.features import RequestFeatures
from matcher.index import SupplierIndex
from matcher.schema import FACTORS, BuyerRequest

EXPORT_MARKETS_FOR_FULL_SCORE = 3


@dataclass
class Scores:
    """Everything the ranker and the explainer need for one request."""

    factors: dict[str, np.ndarray]  # applicable factors only, each (n,)
    weights: dict[str, float]  # effective weight of every factor
    total: np.ndarray  # (n,) weighted mean over applicable factors
    eligible: np.ndarray  # (n,) bool
    lacks: dict[str, np.ndarray]  # must-have -> (n,) bool, True where missing
    window_days: float
    language: str | None

    def contribution(self, factor: str, i: int) -> float:
        """Share of supplier ``i``'s total that ``factor`` provides."""
        denom = sum(self.weights[f] for f in self.factors) or 1.0
        return self.weights[factor] * float(self.factors[factor][i]) / denom


def _product(index: SupplierIndex, rf: RequestFeatures) -> np.ndarray | None:
    if not (rf.types or rf.families or rf.hs4):
        return None
    sets = index.sets_
    n = len(index)
    exact = sets["types"].coverage(rf.types) if rf.types else np.zeros(n)
    # Same family but another product: a partial fit when the buyer named
    # product types, a full one when it only named the family.
    family = (sets["families"].count(rf.families) > 0) * (0.4 if rf.types else 1.0)
    hs6 = (sets["hs6"].count(rf.hs6) > 0) * (0.7 if rf.types else 1.0)
    hs4 = (sets["hs4"].count(rf.hs4) > 0) * (0.4 if rf.types else 0.8)
    return np.maximum.reduce([exact, family, hs6, hs4])


def _price(index: SupplierIndex, ceiling: float) -> np.ndarray:
    lo, hi = index.price_min_, index.price_max_
    span = np.maximum(hi - lo, 1e-9)
    within = np.where(hi <= ceiling, 1.0, 0.5 + 0.5 * np.clip((ceiling - lo) / span, 0.0, 1.0))
    # Whole range above budget: fades to 0 at 50 % over.
    above = 0.5 * np.clip(1.0 - (lo - ceiling) / (0.5 * max(ceiling, 1e-9)), 0.0, 1.0)
    score = np.where(lo <= ceiling, within, above)
    return np.where(np.isnan(lo), 0.5, score)  # price not stated: neither good nor bad


def score(
    index: SupplierIndex,
    request: BuyerRequest,
    rf: RequestFeatures,
    vector: np.ndarray,
    weights: dict[str, float],
    semantic_bounds: tuple[float, float] = (0.0, 1.0),
    default_window_days: int = 90,
) -> Scores:
    """Score every supplier in ``index`` against one request."""
    sets = index.sets_
    n = len(index)
    window = float(request.max_lead_time_days or default_window_days)
    f: dict[str, np.ndarray | None] = {}

    lo, hi = semantic_bounds
    cos = index.vectors_ @ np.asarray(vector, dtype=np.float32)
    f["semantic"] = np.clip((cos.astype(np.float64) - lo) / max(hi - lo, 1e-9), 0.0, 1.0)
    f["product"] = _product(index, rf)
    units_in_window = index.capacity_ * window / 30.0
    f["capacity"] = np.clip(units_in_window / request.quantity, 0.0, 1.0)
    f["min_order"] = np.minimum(1.0, request.quantity / index.moq_)
    if request.max_lead_time_days:
        t = float(request.max_lead_time_days)
        f["lead_time"] = np.clip(1.0 - (index.lead_ - t) / t, 0.0, 1.0)
    else:
        f["lead_time"] = None
    f["price"] = _price(index, request.max_unit_price_eur) if request.max_unit_price_eur is not None else None
    f["certifications"] = (
        sets["certifications"].coverage(rf.preferred_certifications) if rf.preferred_certifications else None
    )
    f["sustainability"] = sets["sustainability"].coverage(rf.sustainability) if rf.sustainability else None
    f["materials"] = sets["materials"].coverage(rf.materials) if rf.materials else None
    breadth = np.minimum(1.0, index.n_export_ / EXPORT_MARKETS_FOR_FULL_SCORE)
    if request.buyer_country:
        f["export"] = 0.6 * breadth + 0.4 * sets["export"].has(request.buyer_country)
    else:
        f["export"] = breadth
    if rf.language:
        speaks = sets["languages"].has(rf.language)
        f["language"] = np.where(speaks, 1.0, np.where(index.n_languages_ == 0, 0.5, 0.25))
    else:
        f["language"] = None
    f["country"] = sets["country"].count(request.preferred_countries) > 0 if request.preferred_countries else None

    factors = {k: np.asarray(v, dtype=np.float64) for k, v in f.items() if v is not None}
    total = weighted_total(factors, weights, n)

    lacks: dict[str, np.ndarray] = {}
    for cert in rf.required_certifications:
        lacks[f"certification:{cert}"] = ~sets["certifications"].has(cert)
    if request.customization_required:
        lacks["customization"] = index.customization_ != 1.0
    if request.samples_required:
        lacks["samples"] = index.samples_ != 1.0
    if request.export_experience_required:
        lacks["export_experience"] = index.n_export_ == 0
    eligible = np.ones(n, dtype=bool)
    for missing in lacks.values():
        eligible &= ~missing
    return Scores(factors, weights, total, eligible, lacks, window, rf.language)


def weighted_total(factors: dict[str, np.ndarray], weights: dict[str, float], n: int) -> np.ndarray:
    """Weighted mean of the applicable factors (0 when their weights sum to 0).

    Evaluation re-weights stored factor scores through this same function, so its
    rankings are the engine's to the last bit.
    """
    applicable_weight = sum(weights[k] for k in factors)
    total = np.zeros(n)
    if applicable_weight > 0:
        for k in FACTORS:  # fixed order: the same floating-point sums everywhere
            if k in factors:
                total += weights[k] * factors[k]
        total /= applicable_weight
    return total


def effective_weights(profile_weights: dict[str, float], overrides: dict[str, float] | None) -> dict[str, float]:
    """Profile weights with a request's overrides on top."""
    merged = {f: float(profile_weights.get(f, 0.0)) for f in FACTORS}
    merged.update(overrides or {})
    return merged


def rank(scores: Scores, top_k: int | None = None, include_ineligible: bool = True) -> np.ndarray:
    """Supplier positions, best first: eligible before ineligible, then by total, then by id."""
    return rank_order(scores.total, scores.eligible, top_k, include_ineligible)


def rank_order(total: np.ndarray, eligible: np.ndarray, top_k: int | None = None,
               include_ineligible: bool = True) -> np.ndarray:
    """``rank`` on bare arrays: totals in [0, 1] and an eligibility mask."""
    key = total + 2.0 * eligible  # eligibility dominates any total in [0, 1]
    candidates = np.arange(len(key)) if include_ineligible else np.flatnonzero(eligible)
    if top_k is not None and top_k < len(candidates):
        sub = key[candidates]
        kth = np.partition(sub, len(sub) - top_k)[len(sub) - top_k]
        candidates = candidates[sub >= kth]  # keeps every tie at the cut
    order = np.lexsort((candidates, -key[candidates]))  # index order == id order
    ranked = candidates[order]
    return ranked[:top_k] if top_k is not None else ranked
