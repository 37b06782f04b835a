"""Country: whether the workshop is in one of the buyer's preferred countries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.columns import BinarySet
from matcher.factors.base import Columns, Factor, Reason, RequestContext
from matcher.factors.registry import register

if TYPE_CHECKING:
    from matcher.index import SupplierIndex
    from matcher.schema import Supplier


@register
class Country(Factor):
    name = "country"
    position = 120
    default_weight = 0.5
    kinds = ("ok", "no")

    def columns(self, suppliers: list[Supplier]) -> Columns:
        return {"set": BinarySet([s.country] for s in suppliers)}

    def query(self, ctx: RequestContext) -> Any | None:
        return ctx.request.preferred_countries or None

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        return self.cols(index)["set"].any_of(q).astype(np.float64)

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        return [self.reason("ok" if supplier.country in q else "no", country=supplier.country)]
