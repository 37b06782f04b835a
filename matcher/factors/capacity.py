"""Capacity: share of the quantity the workshop can make within the buyer's window."""

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
class Capacity(Factor):
    name = "capacity"
    position = 30
    default_weight = 2.0
    kinds = ("ok", "short")

    def columns(self, suppliers: list[Supplier]) -> Columns:
        return {"monthly": numbers(s.monthly_capacity for s in suppliers)}

    def query(self, ctx: RequestContext) -> Any | None:
        return ctx.request.quantity

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        units_in_window = self.cols(index)["monthly"] * ctx.window_days / 30.0
        return np.clip(units_in_window / q, 0.0, 1.0)

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        days, cap = round(ctx.window_days), supplier.monthly_capacity
        if scores[self.name][i] >= 1.0:
            return [self.reason("ok", cap=cap, qty=q, days=days)]
        return [self.reason("short", cap=cap, can=round(cap * days / 30), qty=q, days=days)]
