"""Column-oriented supplier index: everything scoring needs, as arrays, and nothing else.

The index holds no supplier records: ids, an alive mask, the vectors (int16, see
matcher.columns.Vectors) and each factor's columns (``columns_[factor name]``). Explanations fetch
the few records they show from the store. Every request is scored with array expressions over all
rows at once.

Rows are kept in the order they arrived. A change never rewrites what readers hold: ``updated``
returns a new index that shares the old arrays, marks replaced and deleted rows dead, and appends
the new rows as a block (a delta segment); once dead rows or blocks pile up, the new index is
compacted (arrays copied, nothing re-read or re-embedded). Ties between equal totals break by id,
so the order rows arrived in never shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

import numpy as np

from matcher import columns as col
from matcher.errors import InputError
from matcher.factors import registry
from matcher.schema import Supplier

COMPACT_DEAD_SHARE = 0.25  # compact once a quarter of the rows are dead ...
COMPACT_BLOCKS = 16  # ... or the vectors are spread over this many blocks


class SupplierIndex:
    """Arrays over suppliers (see the module docstring)."""

    def __init__(self, version: int = 0) -> None:
        self.version = version  # the store's supplier version these arrays reflect

    # -- building ----------------------------------------------------------
    def fit(self, suppliers: list[Supplier], vectors: np.ndarray) -> SupplierIndex:
        """Index ``suppliers`` with their unit vectors (rows aligned)."""
        order = sorted(range(len(suppliers)), key=lambda i: suppliers[i].supplier_id)
        vecs = np.asarray(vectors, dtype=np.float32)
        return self.fit_blocks([([suppliers[i] for i in order], vecs[order] if len(order) else vecs)])

    def fit_blocks(self, blocks: Iterable[tuple[list[Supplier], np.ndarray]]) -> SupplierIndex:
        """Index blocks of (suppliers, vectors) one after the other: only one block's records are
        held at a time, so a national catalogue streams through."""
        self.ids_ = np.zeros(0, dtype=object)
        self.alive_ = np.zeros(0, dtype=bool)
        self.vectors_ = col.Vectors()
        self.columns_: dict[str, dict[str, Any]] = {}
        self.version_ = self.version
        for suppliers, vectors in blocks:
            ids, vecs, cols = _block(suppliers, vectors)
            self._append(ids, vecs, cols)
        if not self.columns_:
            self._append(*_block([], np.zeros((0, 1), dtype=np.float32)))
        ids = self.ids_
        self.in_id_order = bool(len(ids) < 2 or np.all(ids[:-1] < ids[1:]))
        return self

    def _append(self, ids: np.ndarray, vecs: np.ndarray, cols: dict[str, dict[str, Any]]) -> None:
        if len(self.ids_) and len(ids) and vecs.shape[1] != self.vectors_.dim:
            raise InputError(f"vectors of {vecs.shape[1]} dimensions added to an index of {self.vectors_.dim}")
        first = not self.columns_
        self.ids_ = np.concatenate([self.ids_, ids])
        self.alive_ = np.concatenate([self.alive_, np.ones(len(ids), dtype=bool)])
        self.vectors_ = col.Vectors([vecs], vecs.shape[1]) if first else self.vectors_.concat(vecs)
        self.columns_ = cols if first else {
            f: {k: col.concat(v, cols[f][k]) for k, v in c.items()} for f, c in self.columns_.items()}

    def updated(self, changed: list[Supplier], vectors: np.ndarray, deleted: Iterable[str],
                version: int) -> SupplierIndex:
        """A new index with ``changed`` suppliers (new or replaced) and without ``deleted`` ones;
        this one is left as it is for whoever still reads it."""
        out = SupplierIndex(version)
        out.ids_, out.vectors_, out.columns_ = self.ids_, self.vectors_, self.columns_
        out.alive_ = self.alive_.copy()
        out.in_id_order = False
        gone = [*deleted, *(s.supplier_id for s in changed)]
        at = self.positions(gone)
        out.alive_[at[at >= 0]] = False
        out.version_ = version
        if changed:
            out._append(*_block(changed, vectors))
        dead = len(out.alive_) - int(out.alive_.sum())
        if dead > COMPACT_DEAD_SHARE * max(len(out.alive_), 1) or len(out.vectors_.blocks) > COMPACT_BLOCKS:
            return out.compacted()
        return out

    def compacted(self) -> SupplierIndex:
        """The live rows only, sorted by id, each column in one piece."""
        live = np.flatnonzero(self.alive_)
        live = live[np.argsort(self.ids_[live], kind="stable")]
        out = SupplierIndex(self.version_)
        out.version_ = self.version_
        out.ids_ = self.ids_[live]
        out.alive_ = np.ones(len(live), dtype=bool)
        out.in_id_order = True
        out.vectors_ = self.vectors_.take(live)
        out.columns_ = {f: {k: col.take(v, live) for k, v in c.items()} for f, c in self.columns_.items()}
        return out

    # -- reading -----------------------------------------------------------
    def __len__(self) -> int:
        """Rows, dead ones included: the length of every column."""
        return len(self.ids_)

    @cached_property
    def n_live(self) -> int:
        return int(self.alive_.sum())

    @cached_property
    def live(self) -> np.ndarray:
        """Positions of the live rows, in id order."""
        pos = np.flatnonzero(self.alive_)
        return pos[np.argsort(self.ids_[pos], kind="stable")]

    @cached_property
    def _position(self) -> dict[str, int]:
        return {str(self.ids_[i]): int(i) for i in np.flatnonzero(self.alive_)}

    def positions(self, ids: Iterable[str]) -> np.ndarray:
        """Row of each live supplier id (-1 when not indexed)."""
        pos = self._position
        return np.array([pos.get(i, -1) for i in ids], dtype=np.int64)

    @cached_property
    def id_rank(self) -> np.ndarray:
        """Each row's rank in id order (ties in a ranking break by it)."""
        rank = np.empty(len(self), dtype=np.int64)
        rank[np.argsort(self.ids_, kind="stable")] = np.arange(len(self))
        return rank

    def nbytes(self) -> dict[str, int]:
        """Memory held, by part (the process holds the model and the interpreter besides)."""
        out = {"ids": col.nbytes(self.ids_), "alive": self.alive_.nbytes, "vectors": self.vectors_.nbytes}
        for f, c in self.columns_.items():
            out[f"columns.{f}"] = sum(col.nbytes(v) for v in c.values())
        return out


def _block(suppliers: list[Supplier], vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, dict[str, Any]]]:
    if len(suppliers) != len(vectors):
        raise InputError(f"{len(suppliers)} suppliers but {len(vectors)} vectors")
    vecs = col.quantise(np.asarray(vectors, dtype=np.float32).reshape(len(suppliers), -1)) if len(suppliers) \
        else np.zeros((0, np.asarray(vectors).shape[-1] if np.asarray(vectors).ndim == 2 else 1), dtype=np.int16)
    ids = np.array([s.supplier_id for s in suppliers], dtype=object)
    return ids, vecs, {f.name: f.columns(suppliers) for f in registry.all_factors()}


class IndexCache:
    """The current index of a supplier set, shared by every engine of a process.

    ``get`` brings it up to the store's supplier version: the first time by a full build, then by
    applying the store's changes (``updated``). One thread updates while readers that already hold
    an index keep answering from it; the new index is swapped in as one object.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[tuple[Any, ...], SupplierIndex] | None = None

    def peek(self) -> SupplierIndex | None:
        return self._current[1] if self._current is not None else None

    def get(self, key: tuple[Any, ...], version: int, build: Callable[[], SupplierIndex],
            update: Callable[[SupplierIndex], SupplierIndex], wait: bool = True) -> SupplierIndex:
        """``key``: what the index is of (the store, the embedder); ``version``: the store's supplier
        version now. ``wait=False`` returns the current index at once when another thread is
        already bringing it up to date."""
        full = (*key, registry.version())
        current = self._current
        if current is not None and current[0] == full and current[1].version_ >= version:
            return current[1]
        if current is not None and current[0] == full and not wait and self._lock.locked():
            return current[1]
        with self._lock:
            current = self._current
            if current is None or current[0] != full:
                current = (full, build())
            elif current[1].version_ < version:
                current = (full, update(current[1]))
            self._current = current
            return current[1]


class RowView:
    """Some rows of an index, read as an index: a factor's ``score`` over it scores just those rows.

    Numeric columns are gathered; label sets answer through the rows' positions (``inverse``), so a
    lookup costs what its labels hold, not the catalogue's size.
    """

    def __init__(self, index: SupplierIndex, rows: np.ndarray) -> None:
        self.index, self.rows = index, np.asarray(rows, dtype=np.int64)
        self._columns: dict[str, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    @cached_property
    def inverse(self) -> np.ndarray:
        """Position of each index row among ``rows`` (-1 when not one of them)."""
        out = np.full(len(self.index), -1, dtype=np.int64)
        out[self.rows] = np.arange(len(self.rows))
        return out

    @property
    def columns_(self) -> _Columns:
        return _Columns(self)

    @property
    def alive_(self) -> np.ndarray:
        return self.index.alive_[self.rows]


class _Columns:
    def __init__(self, view: RowView) -> None:
        self.view = view

    def __getitem__(self, factor: str) -> dict[str, Any]:
        cached = self.view._columns.get(factor)
        if cached is None:
            full = self.view.index.columns_[factor]
            cached = {k: col.rows_of(v, self.view.rows, lambda: self.view.inverse) for k, v in full.items()}
            self.view._columns[factor] = cached
        return cached
