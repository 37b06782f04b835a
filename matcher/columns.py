"""Column types of the supplier index: numeric arrays, label sets, words and vectors.

Every type answers vectorised questions over all rows at once and can be extended by a block of
new rows without touching the old ones (``concat``: a new object sharing the old parts, so an index
being read is never changed) and compacted to the rows still alive (``take``).

- :class:`BinarySet`: which labels each row has, sparse (per label the rows that have it, per row
  its labels); a long tail of labels costs what it holds, not rows x labels.
- :class:`Words`: which words and adjacent word pairs a row's text holds, for phrase lookups.
- :class:`Vectors`: unit vectors as int16 fixed point; dot products are exact integers in float64,
  so every path (one request, a batch, a subset of rows, a Dask partition) gets the same bits.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence

import numpy as np

VECTOR_SCALE = 32767  # a unit vector's component c is stored as round(c * VECTOR_SCALE)


class _Part:
    """One block of rows of a :class:`BinarySet`: CSC (rows per label) and optionally CSR."""

    __slots__ = ("c_ptr", "c_rows", "columns", "n", "names", "r_cols", "r_ptr")

    def __init__(self, sets: Iterable[Iterable[str]], by_row: bool = True) -> None:
        self.columns: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        n = 0
        for n, items in enumerate(sets, start=1):
            for item in sorted(set(items)):
                rows.append(n - 1)
                cols.append(self.columns.setdefault(item, len(self.columns)))
        self.n = n
        self.names = list(self.columns)
        r, c = np.array(rows, dtype=np.int32), np.array(cols, dtype=np.int32)
        order = np.argsort(c, kind="stable")
        self.c_rows = r[order]
        self.c_ptr = np.zeros(len(self.names) + 1, dtype=np.int64)
        np.cumsum(np.bincount(c, minlength=len(self.names)), out=self.c_ptr[1:])
        self.r_ptr: np.ndarray | None = None
        self.r_cols: np.ndarray | None = None
        if by_row:
            self.r_ptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(np.bincount(r, minlength=n), out=self.r_ptr[1:])
            self.r_cols = c

    def rows_of(self, item: str) -> np.ndarray:
        col = self.columns.get(item)
        return self.c_rows[self.c_ptr[col]:self.c_ptr[col + 1]] if col is not None else self.c_rows[:0]

    def row(self, i: int) -> list[str]:
        assert self.r_ptr is not None and self.r_cols is not None, "built without rows"
        return [self.names[c] for c in self.r_cols[self.r_ptr[i]:self.r_ptr[i + 1]]]

    def sets(self) -> list[list[str]]:
        return [self.row(i) for i in range(self.n)]


class _Lookups:
    """Label lookups of a column read through ``hits`` (the rows holding each id) and ``len``."""

    def __len__(self) -> int:
        raise NotImplementedError

    def hits(self, ids: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def count(self, ids: Sequence[str]) -> np.ndarray:
        """How many of ``ids`` each row has (an id listed twice counts twice; unknown ids count as absent)."""
        return np.bincount(self.hits(ids), minlength=len(self)).astype(np.int32)

    def any_of(self, ids: Sequence[str]) -> np.ndarray:
        """True for rows holding at least one of ``ids``."""
        mask = np.zeros(len(self), dtype=bool)
        mask[self.hits(ids)] = True
        return mask

    def has(self, item: str) -> np.ndarray:
        return self.any_of([item])

    def coverage(self, ids: Sequence[str]) -> np.ndarray:
        return self.count(ids) / max(len(ids), 1)


class BinarySet(_Lookups):
    """Set membership: for each row, which labels (strings) it has."""

    def __init__(self, sets: Iterable[Iterable[str]] = (), by_row: bool = True) -> None:
        part = _Part(sets, by_row)
        self.parts = [part]
        self.by_row = by_row
        self.offsets = np.array([0, part.n], dtype=np.int64)

    def __len__(self) -> int:
        return int(self.offsets[-1])

    def _stack(self, per_part: list[np.ndarray]) -> np.ndarray:
        return per_part[0] if len(per_part) == 1 else np.concatenate(per_part)

    def hits(self, ids: Sequence[str]) -> np.ndarray:
        """The rows holding each of ``ids``, one after the other (a row once per id it holds): what a
        sparse answer costs, not the catalogue's size."""
        found = [p.rows_of(i) + int(off) for p, off in zip(self.parts, self.offsets, strict=False) for i in ids]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int32)

    def nonempty(self) -> np.ndarray:
        """True for rows with at least one label."""
        out = []
        for p in self.parts:
            mask = np.zeros(p.n, dtype=bool)
            mask[p.c_rows] = True
            out.append(mask)
        return self._stack(out)

    def row(self, i: int) -> set[str]:
        k = int(np.searchsorted(self.offsets, i, side="right")) - 1
        return set(self.parts[k].row(i - int(self.offsets[k])))

    def concat(self, other: BinarySet) -> BinarySet:
        """Rows of ``self`` then rows of ``other``; both stay unchanged."""
        out = BinarySet.__new__(BinarySet)
        out.parts, out.by_row = [*self.parts, *other.parts], self.by_row
        out.offsets = np.concatenate([self.offsets, self.offsets[-1] + other.offsets[1:]])
        return out

    def take(self, rows: np.ndarray) -> BinarySet:
        """The given rows (ascending), as one part."""
        if not self.by_row:
            raise ValueError("a BinarySet built without rows cannot be compacted")
        all_sets = [s for p in self.parts for s in p.sets()]
        return BinarySet((all_sets[int(i)] for i in rows), by_row=True)

    @property
    def names(self) -> list[str]:
        return sorted({name for p in self.parts for name in p.names})


def _terms(words: list[str]) -> set[int]:
    """Hashes of a text's words and adjacent word pairs (the process's own str hash: an index is
    built and queried in one process)."""
    return {hash(w) for w in words} | {hash(f"{a} {b}") for a, b in itertools.pairwise(words)}


class Words:
    """Which words, and which pairs of adjacent words, each row's text holds.

    ``phrase(["label", "artisan"])`` is True where the text holds the two words side by side; for
    three words and more, where it holds each adjacent pair (a text could hold "a b" and "b c" apart).
    Terms are kept as 64-bit hashes (sorted, with the rows of each), not strings: a catalogue's
    vocabulary of words and pairs runs into millions.
    """

    def __init__(self, texts: Iterable[list[str]] = ()) -> None:
        rows: list[np.ndarray] = []
        keys: list[np.ndarray] = []
        n = 0
        for n, words in enumerate(texts, start=1):
            h = np.fromiter(_terms(words), dtype=np.int64)
            keys.append(h)
            rows.append(np.full(len(h), n - 1, dtype=np.int32))
        k = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
        r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
        order = np.argsort(k, kind="stable")
        self.keys, starts = np.unique(k[order], return_index=True)
        self.ptr = np.append(starts, len(k)).astype(np.int64)
        self.rows = r[order]
        self.n = n
        self.parts: list[Words] = [self]
        self.offsets = np.array([0, n], dtype=np.int64)
        self.keep: np.ndarray | None = None  # rows still alive after a compaction (None: all)

    def __len__(self) -> int:
        return int(self.offsets[-1]) if self.keep is None else len(self.keep)

    def _count(self, hashes: list[int]) -> np.ndarray:
        out = []
        for p in self.parts:
            at = np.searchsorted(p.keys, hashes)
            hits = [p.rows[p.ptr[a]:p.ptr[a + 1]] for a, h in zip(at, hashes, strict=True)
                    if a < len(p.keys) and p.keys[a] == h]
            out.append(np.bincount(np.concatenate(hits), minlength=p.n) if hits else np.zeros(p.n, dtype=np.int64))
        counts = out[0] if len(out) == 1 else np.concatenate(out)
        return counts if self.keep is None else counts[self.keep]

    def phrase(self, words: list[str]) -> np.ndarray:
        terms = [hash(w) for w in words[:1]] if len(words) <= 1 else \
            [hash(f"{a} {b}") for a, b in itertools.pairwise(words)]
        return self._count(terms) == len(terms)

    def _derived(self, parts: list[Words], keep: np.ndarray | None) -> Words:
        out = Words.__new__(Words)
        out.parts, out.keep = parts, keep
        out.offsets = np.concatenate([[0], np.cumsum([p.n for p in parts])]).astype(np.int64)
        return out

    def concat(self, other: Words) -> Words:
        keep = None
        if self.keep is not None or other.keep is not None:
            mine = self.keep if self.keep is not None else np.arange(int(self.offsets[-1]))
            theirs = other.keep if other.keep is not None else np.arange(int(other.offsets[-1]))
            keep = np.concatenate([mine, int(self.offsets[-1]) + theirs])
        return self._derived([*self.parts, *other.parts], keep)

    def take(self, rows: np.ndarray) -> Words:
        """The given rows: the parts stay (no text is kept to rebuild them); lookups are narrowed."""
        rows = np.asarray(rows, dtype=np.int64)
        return self._derived(self.parts, rows if self.keep is None else self.keep[rows])


def quantise(vectors: np.ndarray) -> np.ndarray:
    """Unit float vectors as int16 fixed point (components in [-1, 1])."""
    v = np.asarray(vectors, dtype=np.float32)
    return np.clip(np.rint(v * VECTOR_SCALE), -VECTOR_SCALE, VECTOR_SCALE).astype(np.int16)


def query_vector(vector: np.ndarray) -> np.ndarray:
    """A request vector on the same integer grid, as float64 (products and sums stay exact)."""
    return quantise(np.asarray(vector).reshape(1, -1))[0].astype(np.float64)


_CHUNK_ROWS = 2048  # rows converted to float64 at a time (8 MB at 512 dimensions)


class Vectors:
    """Row vectors stored as int16 blocks (a new block per update; old ones shared, never changed).

    Dot products are computed in float64 on integers below 2^15, so each one (at most 512 * 2^30 <
    2^53) is exact whatever the order of the sums: any subset, batch or partition gets the same value.
    """

    def __init__(self, blocks: Sequence[np.ndarray] = (), dim: int = 1) -> None:
        self.blocks = [b for b in blocks if len(b)]
        self.dim = int(self.blocks[0].shape[1]) if self.blocks else dim
        self.offsets = np.concatenate([[0], np.cumsum([len(b) for b in self.blocks])]).astype(np.int64)

    def __len__(self) -> int:
        return int(self.offsets[-1])

    def _row_blocks(self, rows: np.ndarray | None) -> Iterable[tuple[np.ndarray, slice | np.ndarray]]:
        """(int16 rows, where their results go) per block."""
        if rows is None:
            for k, b in enumerate(self.blocks):
                yield b, slice(int(self.offsets[k]), int(self.offsets[k + 1]))
            return
        which = np.searchsorted(self.offsets, rows, side="right") - 1
        for k in np.unique(which):
            at = np.flatnonzero(which == k)
            yield self.blocks[int(k)][rows[at] - self.offsets[k]], at

    def dot(self, queries: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Exact integer dot products, (n or len(rows),) for one query of :func:`query_vector`,
        (n, m) for an (m, dim) stack of them; scale by ``VECTOR_SCALE ** 2`` for the cosine."""
        q = np.asarray(queries, dtype=np.float64)
        shape = (len(self) if rows is None else len(rows), *q.shape[:-1][::-1])
        out = np.zeros(shape, dtype=np.float64)
        buf = np.empty((_CHUNK_ROWS, self.dim), dtype=np.float64)
        qt = q.T
        for block, where in self._row_blocks(rows):
            part = np.empty((len(block), *shape[1:]), dtype=np.float64)
            for s in range(0, len(block), _CHUNK_ROWS):
                chunk = block[s:s + _CHUNK_ROWS]
                b = buf[:len(chunk)]
                np.copyto(b, chunk)
                part[s:s + len(chunk)] = b @ qt
            out[where] = part
        return out

    def concat(self, new: np.ndarray) -> Vectors:
        """These rows then ``new`` (int16), as a new object."""
        return Vectors([*self.blocks, np.ascontiguousarray(new, dtype=np.int16)], self.dim)

    def take(self, rows: np.ndarray) -> Vectors:
        """The given rows as one block."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.empty((len(rows), self.dim), dtype=np.int16)
        for block, where in self._row_blocks(rows):
            out[where] = block
        return Vectors([out], self.dim)

    def float_rows(self, rows: np.ndarray) -> np.ndarray:
        """Rows back as float32 unit-ish vectors (consortium and market analyses)."""
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        for block, where in self._row_blocks(np.asarray(rows, dtype=np.int64)):
            out[where] = block.astype(np.float32) / VECTOR_SCALE
        return out

    @property
    def nbytes(self) -> int:
        return sum(b.nbytes for b in self.blocks)


def optional(values: Iterable[float | int | bool | None]) -> np.ndarray:
    """float64 array with NaN for 'not stated'."""
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def numbers(values: Iterable[float | int]) -> np.ndarray:
    return np.array(list(values), dtype=np.float64)


def concat(a: object, b: object) -> object:
    """Rows of column ``a`` then rows of column ``b`` (same type)."""
    if isinstance(a, np.ndarray):
        return np.concatenate([a, np.asarray(b, dtype=a.dtype)])
    return a.concat(b)  # type: ignore[attr-defined]


def take(column: object, rows: np.ndarray) -> object:
    if isinstance(column, np.ndarray):
        return column[rows]
    return column.take(rows)  # type: ignore[attr-defined]


def nbytes(column: object) -> int:
    """Memory a column holds (arrays only; dictionaries of labels are small)."""
    if isinstance(column, np.ndarray):
        return column.nbytes + (sum(len(str(x)) + 49 for x in column) if column.dtype == object else 0)
    if isinstance(column, BinarySet):
        return sum(a.nbytes for p in column.parts for a in (p.c_ptr, p.c_rows, p.r_ptr, p.r_cols) if a is not None)
    if isinstance(column, Words):
        return sum(p.keys.nbytes + p.ptr.nbytes + p.rows.nbytes for p in column.parts) + \
            (column.keep.nbytes if column.keep is not None else 0)
    if isinstance(column, Vectors):
        return column.nbytes
    return 0


class SomeRows(_Lookups):
    """A label set or words column read on some of its rows (matcher.index.RowView)."""

    def __init__(self, column: BinarySet | Words, rows: np.ndarray, inverse: Callable[[], np.ndarray]) -> None:
        self.column, self.rows, self._inverse = column, rows, inverse

    def __len__(self) -> int:
        return len(self.rows)

    def hits(self, ids: Sequence[str]) -> np.ndarray:
        if not isinstance(self.column, BinarySet):
            raise TypeError("hits() needs a label set")
        pos = self._inverse()[self.column.hits(ids)]
        return pos[pos >= 0]

    def nonempty(self) -> np.ndarray:
        if not isinstance(self.column, BinarySet):
            raise TypeError("nonempty() needs a label set")
        return self.column.nonempty()[self.rows]

    def row(self, i: int) -> set[str]:
        if not isinstance(self.column, BinarySet):
            raise TypeError("row() needs a label set")
        return self.column.row(int(self.rows[i]))

    def phrase(self, words: list[str]) -> np.ndarray:
        if not isinstance(self.column, Words):
            raise TypeError("phrase() needs a words column")
        return self.column.phrase(words)[self.rows]


def rows_of(column: object, rows: np.ndarray, inverse: Callable[[], np.ndarray]) -> object:
    """``column`` read on ``rows`` only."""
    if isinstance(column, np.ndarray):
        return column[rows]
    if isinstance(column, BinarySet | Words):
        return SomeRows(column, rows, inverse)
    raise TypeError(f"no row view of a {type(column).__name__} column")
