"""Row-by-row reference scorer: the same formulas as matcher/factors, one supplier at a time.

It is the round-1 baseline (issue 13's strawman; benchmarks/baselines.py has the careful peer) and the
oracle that tests/test_scoring.py checks the vectorised scorer against. Keep it naive.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matcher.features import RequestFeatures, SupplierFeatures
from matcher.schema import BuyerRequest, Supplier


def _coverage(wanted: list[str], have: set[str]) -> float:
    return sum(1 for w in wanted if w in have) / len(wanted)


def naive_totals(suppliers: Sequence[Supplier], features: Sequence[SupplierFeatures], vectors: Sequence[list[float]],
                 request: BuyerRequest, rf: RequestFeatures, vector: list[float], weights: dict[str, float],
                 bounds: tuple[float, float] = (0.0, 1.0), default_window_days: int = 90) -> list[tuple[float, bool]]:
    """(total, eligible) per supplier, in the order given (features and vectors aligned with suppliers)."""
    out = []
    window = float(request.max_lead_time_days or default_window_days)
    for i, s in enumerate(suppliers):
        feat = features[i]
        sets = {"types": feat.types, "families": feat.families, "hs6": feat.hs6, "hs4": feat.hs4,
                "certifications": feat.certifications, "sustainability": feat.sustainability,
                "materials": feat.materials}
        f: dict[str, float] = {}
        cos = sum(a * b for a, b in zip(vectors[i], vector, strict=False))
        f["semantic"] = min(1.0, max(0.0, (cos - bounds[0]) / (bounds[1] - bounds[0])))
        if rf.types or rf.families or rf.hs4:
            exact = _coverage(rf.types, sets["types"]) if rf.types else 0.0
            fam = (1.0 if set(rf.families) & sets["families"] else 0.0) * (0.4 if rf.types else 1.0)
            hs6 = (1.0 if set(rf.hs6) & sets["hs6"] else 0.0) * (0.7 if rf.types else 1.0)
            hs4 = (1.0 if set(rf.hs4) & sets["hs4"] else 0.0) * (0.4 if rf.types else 0.8)
            f["product"] = max(exact, fam, hs6, hs4)
        f["capacity"] = min(1.0, s.monthly_capacity * window / 30.0 / request.quantity)
        f["min_order"] = min(1.0, request.quantity / s.min_order_qty)
        if request.max_lead_time_days:
            t = request.max_lead_time_days
            f["lead_time"] = min(1.0, max(0.0, 1.0 - (s.lead_time_days - t) / t))
        if request.max_unit_price_eur is not None:
            p = request.max_unit_price_eur
            lo = s.price_min_eur if s.price_min_eur is not None else s.price_max_eur
            hi = s.price_max_eur if s.price_max_eur is not None else s.price_min_eur
            if lo is None:
                f["price"] = 0.5
            elif hi <= p:
                f["price"] = 1.0
            elif lo <= p:
                f["price"] = 0.5 + 0.5 * min(1.0, max(0.0, (p - lo) / max(hi - lo, 1e-9)))
            else:
                f["price"] = 0.5 * min(1.0, max(0.0, 1.0 - (lo - p) / (0.5 * p)))
        if rf.preferred_certifications:
            f["certifications"] = _coverage(rf.preferred_certifications, sets["certifications"])
        if rf.sustainability:
            f["sustainability"] = _coverage(rf.sustainability, sets["sustainability"])
        if rf.materials:
            f["materials"] = _coverage(rf.materials, sets["materials"])
        breadth = min(1.0, len(s.export_markets) / 3)
        if request.buyer_country:
            f["export"] = 0.6 * breadth + 0.4 * (request.buyer_country in s.export_markets)
        else:
            f["export"] = breadth
        if rf.language:
            f["language"] = 1.0 if rf.language in s.languages else (0.5 if not s.languages else 0.25)
        if request.preferred_countries:
            f["country"] = 1.0 if s.country in request.preferred_countries else 0.0
        denom = sum(weights[k] for k in f)
        total = sum(weights[k] * v for k, v in f.items()) / denom if denom else 0.0
        eligible = all(c in sets["certifications"] for c in rf.required_certifications)
        if request.customization_required:
            eligible = eligible and s.customization is True
        if request.samples_required:
            eligible = eligible and s.samples is True
        if request.export_experience_required:
            eligible = eligible and bool(s.export_markets)
        out.append((total if not math.isnan(total) else 0.0, eligible))
    return out
