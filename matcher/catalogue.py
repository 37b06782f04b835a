"""Finding suppliers by text and filters: one search for the CLI, the API and the team page."""

from __future__ import annotations

from functools import lru_cache

from matcher.schema import Supplier
from matcher.textnorm import fold

# Every search folds the same supplier texts again: keep them (bounded).
_folded = lru_cache(maxsize=65_536)(fold)


def search_suppliers(suppliers: list[Supplier], q: str = "", country: str = "", cluster: str = "",
                     product: str = "") -> list[Supplier]:
    """Suppliers matching every filter given; text filters ignore case, accents and punctuation."""
    out = suppliers
    if country:
        out = [s for s in out if s.country == country.strip().upper()]
    if cluster:
        out = [s for s in out if fold(cluster) in _folded(s.cluster or "")]
    if product:
        out = [s for s in out if any(fold(product) in _folded(p) for p in s.products)]
    if q:
        needle = fold(q)
        out = [s for s in out if needle in _folded(" ".join([s.supplier_id, s.name, s.description, *s.products]))]
    return out
