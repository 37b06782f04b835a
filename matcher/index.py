"""Column-oriented supplier index: everything scoring needs, as numpy arrays.

Built once per supplier set (``fit``), then every request is scored with
array expressions over all suppliers at once.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from matcher.errors import InputError
from matcher.features import supplier_features
from matcher.schema import Supplier


class BinarySet:
    """Set membership as an (n_suppliers, n_ids) boolean matrix."""

    def __init__(self, sets: list[Iterable[str]]) -> None:
        sets = [set(s) for s in sets]
        self.columns: dict[str, int] = {}
        for s in sets:
            for item in sorted(s):
                self.columns.setdefault(item, len(self.columns))
        self.names = list(self.columns)  # column -> id, for explanations
        self.matrix = np.zeros((len(sets), max(len(self.columns), 1)), dtype=bool)
        for row, s in enumerate(sets):
            self.matrix[row, [self.columns[i] for i in s]] = True

    def _cols(self, ids: Iterable[str]) -> list[int]:
        return [self.columns[i] for i in ids if i in self.columns]

    def has(self, item: str) -> np.ndarray:
        col = self.columns.get(item)
        return self.matrix[:, col] if col is not None else np.zeros(len(self.matrix), dtype=bool)

    def count(self, ids: list[str]) -> np.ndarray:
        """How many of ``ids`` each supplier has (unknown ids count as absent)."""
        cols = self._cols(ids)
        if not cols:
            return np.zeros(len(self.matrix), dtype=np.int32)
        return self.matrix[:, cols].sum(axis=1, dtype=np.int32)

    def coverage(self, ids: list[str]) -> np.ndarray:
        return self.count(ids) / max(len(ids), 1)

    def row(self, i: int) -> set[str]:
        return {self.names[c] for c in np.flatnonzero(self.matrix[i])}


def _opt(values: Iterable[float | int | bool | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


class SupplierIndex:
    """Arrays over suppliers sorted by ``supplier_id`` (so ties break by id)."""

    def fit(self, suppliers: list[Supplier], vectors: np.ndarray) -> SupplierIndex:
        if len(suppliers) != len(vectors):
            raise InputError(f"{len(suppliers)} suppliers but {len(vectors)} vectors")
        order = sorted(range(len(suppliers)), key=lambda i: suppliers[i].supplier_id)
        sup = [suppliers[i] for i in order]
        self.suppliers_ = sup
        self.ids_ = np.array([s.supplier_id for s in sup], dtype=object)
        self.vectors_ = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)[order])
        self.capacity_ = np.array([s.monthly_capacity for s in sup], dtype=np.float64)
        self.moq_ = np.array([s.min_order_qty for s in sup], dtype=np.float64)
        self.lead_ = np.array([s.lead_time_days for s in sup], dtype=np.float64)
        lo, hi = _opt(s.price_min_eur for s in sup), _opt(s.price_max_eur for s in sup)
        self.price_min_ = np.where(np.isnan(lo), hi, lo)  # one bound stated: a point price
        self.price_max_ = np.where(np.isnan(hi), lo, hi)
        self.customization_ = _opt(s.customization for s in sup)
        self.samples_ = _opt(s.samples for s in sup)
        self.country_ = np.array([s.country for s in sup], dtype=object)
        self.n_export_ = np.array([len(s.export_markets) for s in sup], dtype=np.float64)
        feats = [supplier_features(s) for s in sup]
        self.sets_ = {
            "types": BinarySet([f.types for f in feats]),
            "families": BinarySet([f.families for f in feats]),
            "hs6": BinarySet([f.hs6 for f in feats]),
            "hs4": BinarySet([f.hs4 for f in feats]),
            "certifications": BinarySet([f.certifications for f in feats]),
            "sustainability": BinarySet([f.sustainability for f in feats]),
            "materials": BinarySet([f.materials for f in feats]),
            "export": BinarySet([s.export_markets for s in sup]),
            "languages": BinarySet([s.languages for s in sup]),
            "country": BinarySet([[s.country] for s in sup]),
        }
        self.n_languages_ = np.array([len(s.languages) for s in sup], dtype=np.float64)
        return self

    def __len__(self) -> int:
        return len(self.suppliers_)
