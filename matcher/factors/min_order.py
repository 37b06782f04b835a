"""Minimum order: 1 when the buyer's quantity reaches it, else the share it reaches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.columns import numbers
from matcher.factors.base import Columns, Factor, Reason, RequestContext
from matcher.factors.registry import register

if TYPE_CHECKING:
    from matcher.index import SupplierIndex
    from matcher.schema import Supplier


@register
class MinOrder(Factor):
    name = "min_order"
    position = 40
    default_weight = 1.0
    kinds = ("ok", "high")

    def columns(self, suppliers: list[Supplier]) -> Columns:
        return {"moq": numbers(s.min_order_qty for s in suppliers)}

    def query(self, ctx: RequestContext) -> Any | None:
        return ctx.request.quantity

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        return np.minimum(1.0, q / self.cols(index)["moq"])

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        moq = supplier.min_order_qty
        return [self.reason("ok" if moq <= q else "high", moq=moq, qty=q)]
