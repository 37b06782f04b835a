"""Shared shape of the 'share of what the buyer listed' factors (practices, materials)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from matcher.columns import BinarySet
from matcher.factors.base import Columns, Factor, Reason, RequestContext, terms


class ListedWishes(Factor):
    """Coverage of the ids the buyer listed; reasons name what is there and what is not."""

    vocabulary: ClassVar[str]
    kinds = ("has", "missing")

    def supplier_ids(self, feature: Any) -> set[str]:
        return set(getattr(feature, self.name))

    def columns(self, suppliers: list[Any], features: list[Any]) -> Columns:
        return {"set": BinarySet(self.supplier_ids(f) for f in features)}

    def query(self, ctx: RequestContext) -> Any | None:
        return getattr(ctx.features, self.name) or None

    def score(self, index: Any, q: Any, ctx: RequestContext) -> np.ndarray:
        return self.cols(index)["set"].coverage(q)

    def reasons(self, index: Any, q: Any, ctx: RequestContext, i: int, supplier: Any,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        have, wanted = self.cols(index)["set"].row(i), set(q)
        out = []
        if wanted & have:
            out.append(self.reason("has", items=terms(self.vocabulary, wanted & have)))
        if wanted - have:
            out.append(self.reason("missing", items=terms(self.vocabulary, wanted - have)))
        return out
