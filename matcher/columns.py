"""Column types of the supplier index: numeric arrays and set-membership matrices."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class BinarySet:
    """Set membership as an (n_suppliers, n_ids) boolean matrix."""

    def __init__(self, sets: Iterable[Iterable[str]]) -> None:
        rows = [set(s) for s in sets]
        self.columns: dict[str, int] = {}
        for s in rows:
            for item in sorted(s):
                self.columns.setdefault(item, len(self.columns))
        self.names = list(self.columns)  # column -> id, for explanations
        self.matrix = np.zeros((len(rows), max(len(self.columns), 1)), dtype=bool)
        for row, s in enumerate(rows):
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


def optional(values: Iterable[float | int | bool | None]) -> np.ndarray:
    """float64 array with NaN for 'not stated'."""
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def numbers(values: Iterable[float | int]) -> np.ndarray:
    return np.array(list(values), dtype=np.float64)
