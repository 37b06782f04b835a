"""Product: the exact product type, else the same family or a matching HS code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.columns import BinarySet
from matcher.factors.base import Columns, Factor, Reason, RequestContext, terms
from matcher.factors.registry import register
from matcher.features import supplier_products

if TYPE_CHECKING:
    from matcher.index import SupplierIndex
    from matcher.schema import Supplier


@register
class Product(Factor):
    name = "product"
    position = 20
    default_weight = 3.0
    scoped_first = True  # its zeros are the fillers: the other factors are scored on the makers first
    kinds = ("makes", "hs", "family", "none")

    def columns(self, suppliers: list[Supplier]) -> Columns:
        read = [supplier_products(s) for s in suppliers]  # typos, trade words; the description if need be
        return {"types": BinarySet(t for t, _ in read), "families": BinarySet(f for _, f in read),
                "hs6": BinarySet({c for c in s.hs_codes if len(c) == 6} for s in suppliers),
                "hs4": BinarySet({c[:4] for c in s.hs_codes} for s in suppliers)}

    def query(self, ctx: RequestContext) -> Any | None:
        rf = ctx.features
        return rf if (rf.types or rf.families or rf.hs4) else None

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        c = self.cols(index)
        out = np.zeros(len(index))
        # Same family but another product: a partial fit when the buyer named product types, a full
        # one when it only named the family. Each row keeps its best fit: the partial fits are written
        # lowest first (a higher one overwrites), then the share of the named types a row makes where
        # it is higher; only the rows holding a label are touched, not the whole catalogue.
        partial = [(c["families"], q.families, 0.4 if q.types else 1.0), (c["hs6"], q.hs6, 0.7 if q.types else 1.0),
                   (c["hs4"], q.hs4, 0.4 if q.types else 0.8)]
        for column, ids, value in sorted(partial, key=lambda p: p[2]):
            if ids:
                out[column.hits(ids)] = value
        if q.types:
            rows, counts = np.unique(c["types"].hits(q.types), return_counts=True)
            out[rows] = np.maximum(out[rows], counts / len(q.types))
        return out

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        c = self.cols(index)
        made = set(q.types) & c["types"].row(i)
        hs = set(q.hs6) & c["hs6"].row(i)
        fams = set(q.families) & c["families"].row(i)
        if made:
            return [self.reason("makes", items=terms("products", made))]
        if hs:
            return [self.reason("hs", items=sorted(hs))]
        if fams:
            return [self.reason("family", items=terms("families", fams))]
        return [self.reason("none")]
