"""Score one request against every supplier: each factor's array, the total, the must-haves.

A factor the buyer said nothing about (no price ceiling, no preferred certification) is *not
applicable*: it gets no score and its weight leaves the normalisation, so totals stay
comparable between requests. Must-haves are not factors' scores: they decide eligibility.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from matcher.factors import registry
from matcher.factors.base import Gate, RequestContext
from matcher.index import SupplierIndex
from matcher.ranking import rank_order, weighted_total


@dataclass
class ScoredRequest:
    """One request scored against one index: what the ranker, the explainer and the planner read."""

    index: SupplierIndex
    context: RequestContext
    queries: dict[str, Any]  # applicable factor -> what it read from the request
    factors: dict[str, np.ndarray]  # applicable weighted factors only, each (n,)
    weights: dict[str, float]  # effective weight of every factor
    total: np.ndarray  # (n,) weighted mean over applicable factors
    gates: list[Gate] = field(default_factory=list)
    eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def request(self) -> Any:
        return self.context.request

    @property
    def language(self) -> str | None:
        return self.context.language

    @property
    def lacks(self) -> dict[str, np.ndarray]:
        """Must-have key -> (n,) bool, True where the supplier misses it."""
        return {g.key: g.missing for g in self.gates}

    @cached_property
    def applicable_weight(self) -> float:
        """Sum of the applicable factors' weights (1 when it is 0)."""
        return sum(self.weights[f] for f in self.factors) or 1.0

    def contribution(self, factor: str, i: int) -> float:
        """Share of supplier ``i``'s total that ``factor`` provides."""
        return self.weights[factor] * float(self.factors[factor][i]) / self.applicable_weight

    @cached_property
    def filler(self) -> np.ndarray:
        """Suppliers that make nothing of the requested products (no type, family or HS code in common)."""
        product = self.factors.get("product")
        return product == 0.0 if product is not None else np.zeros(len(self.total), dtype=bool)

    @property
    def offered(self) -> np.ndarray:
        """What a buyer is offered as matches: eligible suppliers that make the requested family."""
        return self.eligible & ~self.filler

    def rank(self, top_k: int | None = None, include_ineligible: bool = True,
             include_filler: bool = True) -> np.ndarray:
        return rank_order(self.total, self.eligible, top_k, include_ineligible, self.filler, include_filler)


def score(index: SupplierIndex, ctx: RequestContext, weights: dict[str, float]) -> ScoredRequest:
    """Every factor's score of every supplier in ``index`` for the request of ``ctx``."""
    n = len(index)
    queries: dict[str, Any] = {}
    factors: dict[str, np.ndarray] = {}
    gates: list[Gate] = []
    for factor in registry.all_factors():
        if factor.weighted:
            q = factor.query(ctx)
            if q is not None:
                queries[factor.name] = q
                factors[factor.name] = np.asarray(factor.score(index, q, ctx), dtype=np.float64)
        gates.extend(factor.gates(index, ctx))
    eligible = np.ones(n, dtype=bool)
    for gate in gates:
        eligible &= ~gate.missing
    return ScoredRequest(index, ctx, queries, factors, weights, weighted_total(factors, weights, n), gates, eligible)
