"""Semantic: cosine between the request text and the supplier text, calibrated per embedder."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.columns import VECTOR_SCALE, query_vector
from matcher.factors.base import Factor, Reason, RequestContext
from matcher.factors.registry import register

if TYPE_CHECKING:
    from matcher.index import SupplierIndex
    from matcher.schema import Supplier


@register
class Semantic(Factor):
    name = "semantic"
    position = 10
    reason_position = 25  # after what it makes: the product reason reads first
    default_weight = 2.0
    kinds = ("similarity",)

    deferred = True  # reads every vector: scored only where it can still change the top k

    def query(self, ctx: RequestContext) -> Any | None:
        return None if ctx.vector is None else query_vector(ctx.vector)

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        return self.calibrate(index.vectors_.dot(q), ctx)

    def score_rows(self, index: SupplierIndex, q: Any, ctx: RequestContext, rows: np.ndarray) -> np.ndarray:
        return self.calibrate(index.vectors_.dot(q, rows), ctx)

    def score_many(self, index: SupplierIndex, qs: list[Any], ctxs: list[RequestContext],
                   rows: np.ndarray | None = None) -> list[np.ndarray]:
        dots = index.vectors_.dot(np.stack(qs), rows)  # one matrix product for the whole batch
        return [self.calibrate(dots[:, j], ctx) for j, ctx in enumerate(ctxs)]

    @staticmethod
    def calibrate(dots: np.ndarray, ctx: RequestContext) -> np.ndarray:
        """Exact integer dot products to a score: the cosine, mapped from the embedder's range to [0, 1]."""
        lo, hi = ctx.semantic_bounds
        return np.clip((dots / VECTOR_SCALE**2 - lo) / max(hi - lo, 1e-9), 0.0, 1.0)

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        return [self.reason("similarity", pct=round(100 * scores[self.name][i]))]
