"""Score requests against every supplier: each factor's array, the total, the must-haves.

A factor the buyer said nothing about (no price ceiling, no preferred certification) is *not
applicable*: it gets no score and its weight leaves the normalisation, so totals stay
comparable between requests. Must-haves are not factors' scores: they decide eligibility.

Deferred factors (the semantic similarity, which reads every vector) are scored only where they
can still change the answer: :meth:`ScoredRequest.rank` bounds every row's total with the deferred
factors at their best (1), scores them exactly on the rows whose bound reaches the k-th exact total,
and ranks those. The result is the exact top k (the same bits as scoring every row: see
``weighted_total``); anything that reads the whole ``total`` gets every row scored first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from matcher.factors import registry
from matcher.factors.base import Factor, Gate, RequestContext
from matcher.index import SupplierIndex
from matcher.ranking import rank_order, select_top, weighted_total
from matcher.schema import Supplier

BOUND_SLACK = 1e-9  # added to every bound: rounding in a bound never drops a row that belongs
FIRST_ROWS = 256  # rows scored exactly before the k-th total is known (at least 8 k)
BATCH_BYTES = 256 * 2**20  # arrays a chunk of scored requests may hold (score_many callers)
MAX_CHUNK = 64  # requests per chunk at most


def chunk_size(n_rows: int) -> int:
    """Requests scored together over ``n_rows`` rows: every factor array and the semantic product of
    a chunk stay under ``BATCH_BYTES``."""
    per_request = max(n_rows, 1) * 8 * (len(registry.weighted()) + 4)
    return max(1, min(MAX_CHUNK, BATCH_BYTES // per_request))


@dataclass
class ScoredRequest:
    """One request scored against one index: what the ranker, the explainer and the planner read."""

    index: SupplierIndex
    context: RequestContext
    queries: dict[str, Any]  # applicable factor -> what it read from the request
    factors: dict[str, np.ndarray]  # applicable weighted factors, each (n,); deferred ones NaN until scored
    weights: dict[str, float]  # effective weight of every factor
    gates: list[Gate] = field(default_factory=list)
    eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # live rows meeting every must
    fetch: Callable[[list[str]], dict[str, Supplier]] | None = None  # records by id (the store)
    done: dict[str, np.ndarray] = field(default_factory=dict)  # deferred factor -> rows scored so far
    _rows: dict[str, Supplier] = field(default_factory=dict)

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

    @property
    def present(self) -> np.ndarray:
        """Rows of suppliers in the catalogue (the index keeps replaced rows until it compacts)."""
        return self.index.alive_

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
        return product == 0.0 if product is not None else np.zeros(len(self.index), dtype=bool)

    @property
    def offered(self) -> np.ndarray:
        """What a buyer is offered as matches: eligible suppliers that make the requested family."""
        return self.eligible & ~self.filler

    # -- deferred factors --------------------------------------------------
    def _pending(self) -> list[Factor]:
        return [f for f in registry.weighted() if f.deferred and f.name in self.factors]

    def score_rows(self, rows: np.ndarray) -> None:
        """Score the deferred factors on ``rows`` (those not scored yet)."""
        for f in self._pending():
            done = self.done.setdefault(f.name, np.zeros(len(self.index), dtype=bool))
            todo = rows[~done[rows]]
            if len(todo):
                self.factors[f.name][todo] = f.score_rows(self.index, self.queries[f.name], self.context, todo)
                done[todo] = True

    def complete(self) -> None:
        """Score the deferred factors on every row."""
        for f in self._pending():
            done = self.done.get(f.name)
            if done is None or not done.all():
                self.factors[f.name] = np.asarray(f.score(self.index, self.queries[f.name], self.context),
                                                  dtype=np.float64)
                self.done[f.name] = np.ones(len(self.index), dtype=bool)

    @property
    def total(self) -> np.ndarray:
        """(n,) weighted mean over the applicable factors (every row scored)."""
        self.complete()
        return self._total

    @cached_property
    def _total(self) -> np.ndarray:
        return weighted_total(self.factors, self.weights, len(self.index))

    def totals_at(self, rows: np.ndarray) -> np.ndarray:
        """Totals of ``rows`` (scored on them first): bit for bit what ``total`` holds for them."""
        self.score_rows(rows)
        return weighted_total({k: v[rows] for k, v in self.factors.items()}, self.weights, len(rows))

    # -- ranking -----------------------------------------------------------
    def rank(self, top_k: int | None = None, include_ineligible: bool = True,
             include_filler: bool = True) -> np.ndarray:
        """Positions, best first (see ranking.rank_order); exact, with deferred factors scored only
        where they may reach the top ``top_k``."""
        keep = self.present.copy() if include_ineligible else self.eligible.copy()
        if not include_filler:
            keep &= ~self.filler
        tier = 2.0 * self.eligible + 2.0 * self.offered
        pending = [f for f in self._pending() if not self.done.get(f.name, np.zeros(1, bool)).all()]
        if top_k is None or not pending:
            return rank_order(self.total, self.eligible, top_k, include_ineligible, self.filler, include_filler,
                              present=self.present, tiebreak=self._tiebreak())
        cand = np.flatnonzero(keep)
        if len(cand) > top_k:
            bound = tier[cand] + self._upper_bound(cand, pending) + BOUND_SLACK
            first = cand[np.argpartition(-bound, min(len(cand), max(FIRST_ROWS, 8 * top_k)) - 1)
                         [:max(FIRST_ROWS, 8 * top_k)]]
            key = tier[first] + self.totals_at(first)
            kth = np.partition(key, len(key) - top_k)[len(key) - top_k]
            cand = np.union1d(first, cand[bound >= kth])
        key = tier[cand] + self.totals_at(cand)
        return select_top(cand, key, top_k, self.index.ids_)

    def _upper_bound(self, rows: np.ndarray, pending: list[Factor]) -> np.ndarray:
        """Each row's total with the deferred factors at 1 (no total can be higher)."""
        known = {k: v[rows] for k, v in self.factors.items() if k not in {f.name for f in pending}}
        best = {f.name: np.ones(len(rows)) for f in pending}
        return weighted_total({**known, **best}, self.weights, len(rows))

    def _tiebreak(self) -> np.ndarray | None:
        return None if self.index.in_id_order else self.index.id_rank

    # -- records -----------------------------------------------------------
    def suppliers(self, positions: list[int]) -> list[Supplier]:
        """The records of suppliers at ``positions`` (fetched once, from the store)."""
        ids = [str(self.index.ids_[i]) for i in positions]
        missing = [i for i in dict.fromkeys(ids) if i not in self._rows]
        if missing:
            if self.fetch is None:
                raise LookupError("this scored request has no store to fetch supplier records from")
            self._rows.update(self.fetch(missing))
        lost = [i for i in ids if i not in self._rows]
        if lost:
            raise LookupError(f"supplier(s) {', '.join(lost)} left the store while the request was scored")
        return [self._rows[i] for i in ids]

    def supplier(self, i: int) -> Supplier:
        return self.suppliers([i])[0]


def _base(index: SupplierIndex, ctx: RequestContext) -> tuple[dict[str, Any], list[Gate], np.ndarray]:
    queries: dict[str, Any] = {}
    gates: list[Gate] = []
    for factor in registry.all_factors():
        if factor.weighted:
            q = factor.query(ctx)
            if q is not None:
                queries[factor.name] = q
        gates.extend(factor.gates(index, ctx))
    eligible = index.alive_.copy()
    for gate in gates:
        eligible &= ~gate.missing
    return queries, gates, eligible


def score(index: SupplierIndex, ctx: RequestContext, weights: dict[str, float], defer: bool = True,
          fetch: Callable[[list[str]], dict[str, Supplier]] | None = None) -> ScoredRequest:
    """Every factor's score of every supplier in ``index`` for the request of ``ctx``; deferred
    factors wait until a ranking needs them (``defer=False``: scored now)."""
    return score_many(index, [ctx], weights, defer, fetch)[0]


def score_many(index: SupplierIndex, ctxs: list[RequestContext], weights: dict[str, float] | list[dict[str, float]],
               defer: bool = False, fetch: Callable[[list[str]], dict[str, Supplier]] | None = None,
               ) -> list[ScoredRequest]:
    """Score several requests; the deferred factors of all of them in shared passes over the index
    (one matrix product for the semantic factor) unless ``defer``."""
    n = len(index)
    per_weights = weights if isinstance(weights, list) else [weights] * len(ctxs)
    out = []
    for ctx, w in zip(ctxs, per_weights, strict=True):
        queries, gates, eligible = _base(index, ctx)
        factors = {f.name: (np.full(n, np.nan) if f.deferred else
                            np.asarray(f.score(index, queries[f.name], ctx), dtype=np.float64))
                   for f in registry.weighted() if f.name in queries}
        out.append(ScoredRequest(index, ctx, queries, factors, w, gates, eligible, fetch))
    if not defer:
        for f in registry.weighted():
            if f.deferred:
                which = [s for s in out if f.name in s.queries]
                if which:
                    values = f.score_many(index, [s.queries[f.name] for s in which], [s.context for s in which])
                    for s, v in zip(which, values, strict=True):
                        s.factors[f.name] = np.asarray(v, dtype=np.float64)
                        s.done[f.name] = np.ones(n, dtype=bool)
    return out
