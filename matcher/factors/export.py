"""Export: breadth of export experience and the buyer's own country; export experience as a must-have."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.columns import BinarySet, numbers
from matcher.factors.base import Columns, Factor, Gate, Reason, RequestContext, message_ref
from matcher.factors.registry import register

if TYPE_CHECKING:
    from matcher.index import SupplierIndex
    from matcher.schema import Supplier

EXPORT_MARKETS_FOR_FULL_SCORE = 3


@register
class Export(Factor):
    name = "export"
    position = 100
    default_weight = 0.5
    kinds = ("to_country", "markets", "none")
    extra_messages = ("must.export_experience",)

    def columns(self, suppliers: list[Supplier]) -> Columns:
        return {"markets": BinarySet(s.export_markets for s in suppliers),
                "n": numbers(len(s.export_markets) for s in suppliers)}

    def query(self, ctx: RequestContext) -> Any | None:
        return ctx.request.buyer_country or ""

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        c = self.cols(index)
        breadth = np.minimum(1.0, c["n"] / EXPORT_MARKETS_FOR_FULL_SCORE)
        return 0.6 * breadth + 0.4 * c["markets"].has(q) if q else breadth

    def gates(self, index: SupplierIndex, ctx: RequestContext) -> list[Gate]:
        if not ctx.request.export_experience_required:
            return []
        return [Gate("export_experience", message_ref("must.export_experience"), self.cols(index)["n"] == 0)]

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        if q and q in supplier.export_markets:
            return [self.reason("to_country", country=q)]
        if supplier.export_markets:
            return [self.reason("markets", items=list(supplier.export_markets))]
        return [self.reason("none")]
