"""Price: share of the supplier's unit-price range within the buyer's ceiling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.columns import optional
from matcher.factors.base import Columns, Factor, Reason, RequestContext
from matcher.factors.registry import register

if TYPE_CHECKING:
    from matcher.index import SupplierIndex
    from matcher.schema import Supplier


@register
class Price(Factor):
    name = "price"
    position = 60
    default_weight = 1.5
    kinds = ("ok", "part", "high", "unknown")

    def columns(self, suppliers: list[Supplier]) -> Columns:
        lo, hi = optional(s.price_min_eur for s in suppliers), optional(s.price_max_eur for s in suppliers)
        # One bound stated: a point price.
        return {"lo": np.where(np.isnan(lo), hi, lo), "hi": np.where(np.isnan(hi), lo, hi)}

    def query(self, ctx: RequestContext) -> Any | None:
        return ctx.request.max_unit_price_eur

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        c = self.cols(index)
        lo, hi, ceiling = c["lo"], c["hi"], q
        span = np.maximum(hi - lo, 1e-9)
        within = np.where(hi <= ceiling, 1.0, 0.5 + 0.5 * np.clip((ceiling - lo) / span, 0.0, 1.0))
        # Whole range above budget: fades to 0 at 50 % over.
        above = 0.5 * np.clip(1.0 - (lo - ceiling) / (0.5 * max(ceiling, 1e-9)), 0.0, 1.0)
        score = np.where(lo <= ceiling, within, above)
        return np.where(np.isnan(lo), 0.5, score)  # price not stated: neither good nor bad

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        c = self.cols(index)
        lo, hi = float(c["lo"][i]), float(c["hi"][i])
        if lo != lo:  # NaN: not stated
            return [self.reason("unknown")]
        kind = "ok" if hi <= q else "part" if lo <= q else "high"
        return [self.reason(kind, lo=lo, hi=hi, max=q)]
