"""Score requests against every supplier: each factor's array, the total, the must-haves.

A factor the buyer said nothing about (no price ceiling, no preferred certification) is *not
applicable*: it gets no score and its weight leaves the normalisation, so totals stay
comparable between requests. Must-haves are not factors' scores: they decide eligibility.

Rows are scored as late as the answer allows. The must-haves and the product factor (whose zeros
are the fillers) are scored on every row; the other factors on the rows a default answer can show
(eligible makers of the requested family), and on more rows only when asked (a ranking with the
ineligible, or the whole ``total``). The deferred factor (the semantic similarity, which reads every
vector) goes further: :meth:`ScoredRequest.rank` bounds every candidate's total with it at 1 and
reads the vectors of the rows whose bound reaches the k-th exact total only. A factor scored on a
row gives the same bits whichever rows are scored with it, so the top k is the exact top k.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from matcher.factors import registry
from matcher.factors.base import Factor, Gate, RequestContext
from matcher.index import RowView, SupplierIndex
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
    values: dict[str, np.ndarray]  # applicable weighted factor -> (n,) scores, NaN on rows not scored yet
    weights: dict[str, float]  # effective weight of every factor
    gates: list[Gate] = field(default_factory=list)
    eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # live rows meeting every must
    fetch: Callable[[list[str]], dict[str, Supplier]] | None = None  # records by id (the store)
    done: dict[str, np.ndarray] = field(default_factory=dict)  # factor -> rows scored so far
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
        return sum(self.weights[f] for f in self.values) or 1.0

    def contribution(self, factor: str, i: int) -> float:
        """Share of supplier ``i``'s total that ``factor`` provides (row ``i`` scored)."""
        return self.weights[factor] * float(self.values[factor][i]) / self.applicable_weight

    @cached_property
    def filler(self) -> np.ndarray:
        """Suppliers that make nothing of the requested products (no type, family or HS code in common)."""
        product = self.values.get("product")
        return product == 0.0 if product is not None else np.zeros(len(self.index), dtype=bool)

    @cached_property
    def offered(self) -> np.ndarray:
        """What a buyer is offered as matches: eligible suppliers that make the requested family."""
        return self.eligible & ~self.filler

    # -- scoring rows ------------------------------------------------------
    def _applicable(self) -> list[Factor]:
        return [f for f in registry.weighted() if f.name in self.values]

    def score_rows(self, rows: np.ndarray, deferred: bool = True) -> None:
        """Score the applicable factors (``deferred``: the deferred ones too) on ``rows`` not scored yet;
        factors with the same rows to do share one view of them."""
        view: RowView | None = None
        for f in self._applicable():
            if f.deferred and not deferred:
                continue
            done = self.done.get(f.name)
            if done is None:  # nothing scored yet: every row to do (no gather of the mask)
                done = self.done[f.name] = np.zeros(len(self.index), dtype=bool)
                todo = rows
            else:
                todo = rows[~done[rows]]
            if not len(todo):
                continue
            q = self.queries[f.name]
            if type(f).score_rows is Factor.score_rows:  # no row method of its own: score over a view
                if view is None or not (view.rows is todo or np.array_equal(view.rows, todo)):
                    view = RowView(self.index, todo)
                self.values[f.name][todo] = f.score(view, q, self.context)  # type: ignore[arg-type]
            else:
                self.values[f.name][todo] = f.score_rows(self.index, q, self.context, todo)
            done[todo] = True

    def complete(self) -> None:
        """Score every applicable factor on every row."""
        for f in self._applicable():
            done = self.done.get(f.name)
            if done is None or not done.any():
                self.values[f.name] = np.asarray(f.score(self.index, self.queries[f.name], self.context),
                                                 dtype=np.float64)
            elif not done.all():
                todo = np.flatnonzero(~done)
                self.values[f.name][todo] = f.score_rows(self.index, self.queries[f.name], self.context, todo)
            self.done[f.name] = np.ones(len(self.index), dtype=bool)

    @property
    def factors(self) -> dict[str, np.ndarray]:
        """Every applicable factor's (n,) scores, every row scored."""
        self.complete()
        return self.values

    @property
    def total(self) -> np.ndarray:
        """(n,) weighted mean over the applicable factors (every row scored)."""
        self.complete()
        return self._total

    @cached_property
    def _total(self) -> np.ndarray:
        return weighted_total(self.values, self.weights, len(self.index))

    def totals_at(self, rows: np.ndarray) -> np.ndarray:
        """Totals of ``rows`` (scored on them first): bit for bit what ``total`` holds for them."""
        self.score_rows(rows)
        return weighted_total({k: v[rows] for k, v in self.values.items()}, self.weights, len(rows))

    def total_at(self, i: int) -> float:
        return float(self.totals_at(np.array([i]))[0])

    # -- ranking -----------------------------------------------------------
    def rank(self, top_k: int | None = None, include_ineligible: bool = True,
             include_filler: bool = True) -> np.ndarray:
        """Positions, best first (see ranking.rank_order); exact, with the deferred factors scored only
        where they may reach the top ``top_k``."""
        keep = self.present.copy() if include_ineligible else self.eligible.copy()
        if not include_filler:
            keep &= ~self.filler
        if top_k is None:
            return rank_order(self.total, self.eligible, None, include_ineligible, self.filler, include_filler,
                              present=self.present, tiebreak=self._tiebreak())
        cand = np.flatnonzero(keep)
        self.score_rows(cand, deferred=False)
        deferred = [f for f in self._applicable() if f.deferred]
        if len(cand) > top_k and deferred:
            bound = self._tier(cand) + self._upper_bound(cand, deferred) + BOUND_SLACK
            n_first = min(len(cand), max(FIRST_ROWS, 8 * top_k))
            first = cand[np.argpartition(-bound, n_first - 1)[:n_first]]
            key = self._tier(first) + self.totals_at(first)
            kth = np.partition(key, len(key) - top_k)[len(key) - top_k]
            cand = np.union1d(first, cand[bound >= kth])
        key = self._tier(cand) + self.totals_at(cand)
        return select_top(cand, key, top_k, self.index.ids_)

    def _tier(self, rows: np.ndarray) -> np.ndarray:
        """Offered rows first, then the other eligible ones, then the rest (2 + 2, 2, 0 added to totals in [0, 1])."""
        return 2.0 * self.eligible[rows] + 2.0 * self.offered[rows]

    def _upper_bound(self, rows: np.ndarray, deferred: list[Factor]) -> np.ndarray:
        """Each row's total with the deferred factors at 1 (no total can be higher)."""
        names = {f.name for f in deferred}
        known = {k: v[rows] for k, v in self.values.items() if k not in names}
        return weighted_total({**known, **{k: np.ones(len(rows)) for k in names}}, self.weights, len(rows))

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
    """Score several requests. ``defer``: as late as the answer allows (see the module docstring);
    otherwise every factor on every row, the deferred ones for all requests in shared passes over
    the index (one matrix product for the semantic factor)."""
    n = len(index)
    per_weights = weights if isinstance(weights, list) else [weights] * len(ctxs)
    out = []
    for ctx, w in zip(ctxs, per_weights, strict=True):
        queries, gates, eligible = _base(index, ctx)
        values = {f.name: np.full(n, np.nan) for f in registry.weighted() if f.name in queries}
        scored = ScoredRequest(index, ctx, queries, values, w, gates, eligible, fetch)
        for f in registry.weighted():  # the scope-deciding factors (product) on every row, now
            if f.name in queries and (f.scoped_first or not defer) and not f.deferred:
                values[f.name] = np.asarray(f.score(index, queries[f.name], ctx), dtype=np.float64)
                scored.done[f.name] = np.ones(n, dtype=bool)
        if defer:
            scored.score_rows(np.flatnonzero(scored.offered), deferred=False)
        out.append(scored)
    if not defer:
        for f in registry.weighted():
            if f.deferred:
                which = [s for s in out if f.name in s.queries]
                if which:
                    batch = f.score_many(index, [s.queries[f.name] for s in which], [s.context for s in which])
                    for s, v in zip(which, batch, strict=True):
                        s.values[f.name] = np.asarray(v, dtype=np.float64)
                        s.done[f.name] = np.ones(n, dtype=bool)
    return out
