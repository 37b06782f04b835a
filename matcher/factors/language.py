"""Language: whether the workshop speaks the buyer's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.columns import BinarySet, numbers
from matcher.factors.base import Columns, Factor, Reason, RequestContext
from matcher.factors.registry import register

if TYPE_CHECKING:
    from matcher.index import SupplierIndex
    from matcher.schema import Supplier


@register
class Language(Factor):
    name = "language"
    position = 110
    default_weight = 0.5
    kinds = ("speaks", "missing")

    def columns(self, suppliers: list[Supplier]) -> Columns:
        return {"set": BinarySet(s.languages for s in suppliers), "n": numbers(len(s.languages) for s in suppliers)}

    def query(self, ctx: RequestContext) -> Any | None:
        return ctx.language

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        c = self.cols(index)
        return np.where(c["set"].has(q), 1.0, np.where(c["n"] == 0, 0.5, 0.25))

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        return [self.reason("speaks" if q in supplier.languages else "missing", code=q)]
