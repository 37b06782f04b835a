"""Shared shape of the 'share of what the buyer listed' factors (practices, materials)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from matcher.columns import BinarySet
from matcher.factors.base import Columns, Factor, Reason, RequestContext, terms
from matcher.features import supplier_terms

if TYPE_CHECKING:
    from matcher.index import SupplierIndex
    from matcher.schema import Supplier


class ListedWishes(Factor):
    """Coverage of the ids the buyer listed; reasons name what is there and what is not."""

    vocabulary: ClassVar[str]
    kinds = ("has", "missing")

    def columns(self, suppliers: list[Supplier]) -> Columns:
        return {"set": BinarySet(supplier_terms(self.vocabulary, getattr(s, self.name)) for s in suppliers)}

    def query(self, ctx: RequestContext) -> Any | None:
        return getattr(ctx.features, self.name) or None

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        return self.cols(index)["set"].coverage(q)

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        have, wanted = self.cols(index)["set"].row(i), set(q)
        out = []
        if wanted & have:
            out.append(self.reason("has", items=terms(self.vocabulary, wanted & have)))
        if wanted - have:
            out.append(self.reason("missing", items=terms(self.vocabulary, wanted - have)))
        return out
