"""Lead time: 1 within the buyer's days, fading to 0 at twice as long."""

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
class LeadTime(Factor):
    name = "lead_time"
    position = 50
    default_weight = 1.5
    kinds = ("ok", "late")

    def columns(self, suppliers: list[Supplier]) -> Columns:
        return {"days": numbers(s.lead_time_days for s in suppliers)}

    def query(self, ctx: RequestContext) -> Any | None:
        return ctx.request.max_lead_time_days or None

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        t = float(q)
        return np.clip(1.0 - (self.cols(index)["days"] - t) / t, 0.0, 1.0)

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        lead = supplier.lead_time_days
        return [self.reason("ok" if lead <= q else "late", lead=lead, max=q)]
