"""Column-oriented supplier index: everything scoring needs, as numpy arrays.

Built once per supplier set (``fit``): suppliers sorted by id (ties break by id), their
vectors, and each factor's columns (``columns_[factor name]``). Every request is then scored
with array expressions over all suppliers at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from matcher.errors import InputError
from matcher.factors import registry
from matcher.features import supplier_features
from matcher.schema import Supplier


class SupplierIndex:
    """Arrays over suppliers sorted by ``supplier_id``."""

    def fit(self, suppliers: list[Supplier], vectors: np.ndarray) -> SupplierIndex:
        if len(suppliers) != len(vectors):
            raise InputError(f"{len(suppliers)} suppliers but {len(vectors)} vectors")
        order = sorted(range(len(suppliers)), key=lambda i: suppliers[i].supplier_id)
        sup = [suppliers[i] for i in order]
        self.suppliers_ = sup
        self.ids_ = np.array([s.supplier_id for s in sup], dtype=object)
        self.vectors_ = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(len(sup), -1)[order]
                                             if len(sup) else np.zeros((0, 1), dtype=np.float32))
        feats = [supplier_features(s) for s in sup]
        self.columns_ = {f.name: f.columns(sup, feats) for f in registry.all_factors()}
        self.position_ = {sid: i for i, sid in enumerate(self.ids_)}
        self.factors_version_ = registry.version()
        return self

    def __len__(self) -> int:
        return len(self.suppliers_)


class IndexCache:
    """The current index of a supplier set, shared by every engine of a process.

    ``get`` rebuilds it when the store's supplier version (or the factor registry) changed;
    one thread builds while the others wait, then all read the same immutable index.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: SupplierIndex | None = None
        self._key: tuple[str, int, int] | None = None

    def get(self, key: tuple[str, int], build: Callable[[], SupplierIndex]) -> SupplierIndex:
        """``key``: (embedder name, suppliers version)."""
        full = (*key, registry.version())
        index = self._index
        if index is not None and self._key == full:
            return index
        with self._lock:
            if self._index is None or self._key != full:
                self._index = build()
                self._key = full
            return self._index
