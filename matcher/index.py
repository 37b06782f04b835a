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
        self.columns_ = {f.name: f.columns(sup) for f in registry.all_factors()}
        self.position_ = {sid: i for i, sid in enumerate(self.ids_)}
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
        self._current: tuple[tuple[str, int, int], SupplierIndex] | None = None  # swapped as one object

    def get(self, key: tuple[str, int], build: Callable[[], SupplierIndex]) -> SupplierIndex:
        """``key``: (embedder name, suppliers version)."""
        full = (*key, registry.version())
        current = self._current
        if current is not None and current[0] == full:
            return current[1]
        with self._lock:
            current = self._current
            if current is None or current[0] != full:
                current = (full, build())
                self._current = current
            return current[1]
