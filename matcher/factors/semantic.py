"""Semantic: cosine between the request text and the supplier text, calibrated per embedder."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

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

    def query(self, ctx: RequestContext) -> Any | None:
        return ctx.vector

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        lo, hi = ctx.semantic_bounds
        cos = index.vectors_ @ np.asarray(q, dtype=np.float32)
        return np.clip((cos.astype(np.float64) - lo) / max(hi - lo, 1e-9), 0.0, 1.0)

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        return [self.reason("similarity", pct=round(100 * scores[self.name][i]))]
