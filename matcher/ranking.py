"""From factor scores to a ranking: the weighted mean, the weights, and the order."""

from __future__ import annotations

import numpy as np

from matcher.factors import registry


def weighted_total(factors: dict[str, np.ndarray], weights: dict[str, float], n: int) -> np.ndarray:
    """Weighted mean of the applicable factors (0 when their weights sum to 0).

    Evaluation re-weights stored factor scores through this same function, so its
    rankings are the engine's to the last bit.
    """
    applicable_weight = sum(weights[k] for k in factors)
    total = np.zeros(n)
    if applicable_weight > 0:
        for k in registry.names():  # fixed order: the same floating-point sums everywhere
            if k in factors:
                total += weights[k] * factors[k]
        total /= applicable_weight
    return total


def effective_weights(profile_weights: dict[str, float], overrides: dict[str, float] | None) -> dict[str, float]:
    """Profile weights with a request's overrides on top; a factor the profile does not know
    (registered after it was loaded) takes its declared default weight, never 0 by accident."""
    merged = {f.name: float(profile_weights.get(f.name, f.default_weight)) for f in registry.weighted()}
    merged.update(overrides or {})
    return merged


def rank_order(total: np.ndarray, eligible: np.ndarray, top_k: int | None = None,
               include_ineligible: bool = True, filler: np.ndarray | None = None,
               include_filler: bool = True, present: np.ndarray | None = None,
               tiebreak: np.ndarray | None = None) -> np.ndarray:
    """Supplier positions, best first: eligible suppliers that make the requested family, then eligible
    fillers (they make nothing of it), then ineligible ones; within each, by total, then by id.

    Positions are taken to be in id order unless ``tiebreak`` gives each row's rank in id order;
    rows outside ``present`` (replaced or deleted suppliers an index still holds) never appear.
    """
    offered = eligible if filler is None else eligible & ~filler
    key = total + 2.0 * eligible + 2.0 * offered  # each tier dominates any total in [0, 1]
    keep = np.ones(len(key), dtype=bool) if include_ineligible else eligible.copy()
    if present is not None:
        keep &= present
    if not include_filler and filler is not None:
        keep &= ~filler
    candidates = np.flatnonzero(keep)
    if top_k is not None and top_k < len(candidates):
        sub = key[candidates]
        kth = np.partition(sub, len(sub) - top_k)[len(sub) - top_k]
        candidates = candidates[sub >= kth]  # keeps every tie at the cut
    second = candidates if tiebreak is None else tiebreak[candidates]
    ranked = candidates[np.lexsort((second, -key[candidates]))]
    return ranked[:top_k] if top_k is not None else ranked


def select_top(positions: np.ndarray, key: np.ndarray, top_k: int | None, ids: np.ndarray) -> np.ndarray:
    """The ``top_k`` of ``positions`` by ``key`` (aligned), ties broken by supplier id."""
    if top_k is not None and top_k < len(positions):
        kth = np.partition(key, len(key) - top_k)[len(key) - top_k]
        positions, key = positions[key >= kth], key[key >= kth]
    id_order = np.empty(len(positions), dtype=np.int64)
    id_order[np.argsort(ids[positions], kind="stable")] = np.arange(len(positions))
    ranked = positions[np.lexsort((id_order, -key))]
    return ranked[:top_k] if top_k is not None else ranked
