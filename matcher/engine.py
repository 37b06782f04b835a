"""The engine: one object the CLI, the API and evaluation call.

It owns the store, the (cached) embedder and the weight profile, keeps the
supplier index in memory and rebuilds it only when suppliers change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from matcher.embeddings import CachedEmbedder, Embedder, get_embedder
from matcher.explain import Match, MatchResult, build_match, message, must_have_label, reason_language
from matcher.features import RequestFeatures, request_features, supplier_text
from matcher.index import SupplierIndex
from matcher.io.importer import ImportReport, ensure_request_id, import_file
from matcher.profiles import Profile, check_weights, load_profile
from matcher.schema import BuyerRequest, Kind
from matcher.scoring import Scores, effective_weights, rank, score
from matcher.store import Store

DEFAULT_TOP_K = 10


class Engine:
    """Match buyer requests against the suppliers of one store."""

    def __init__(
        self,
        store: Store,
        profile: Profile | str | None = None,
        embedder: Embedder | str | None = None,
        progress: Callable[[int, str], Any] | None = None,
    ) -> None:
        self.store = store
        self.profile = profile if isinstance(profile, Profile) else load_profile(profile or "default")
        base = embedder if isinstance(embedder, Embedder) else get_embedder(embedder or self.profile.embedder)
        self.embedder = CachedEmbedder(base, store)
        self.progress = progress
        self._index: SupplierIndex | None = None
        self._index_version = -1

    # -- suppliers ---------------------------------------------------------
    def import_file(self, path: str | Path, kind: Kind, strict: bool = False) -> ImportReport:
        report = import_file(self.store, path, kind, strict=strict)
        if kind == "supplier" and report.ids:
            self.index()  # embed new text now, while the user watches the progress bar
        return report

    def _embed(self, texts: list[str], what: str) -> np.ndarray:
        if self.progress:
            self.embedder.progress = lambda n: self.progress(n, what)  # type: ignore[misc]
        try:
            return self.embedder.encode(texts)
        finally:
            self.embedder.progress = None

    def index(self) -> SupplierIndex:
        """The supplier index, rebuilt only if suppliers changed since the last call."""
        version = self.store.suppliers_version()
        if self._index is None or version != self._index_version:
            suppliers = self.store.suppliers()
            vectors = self._embed([supplier_text(s) for s in suppliers], "embedding suppliers")
            self._index = SupplierIndex().fit(suppliers, vectors)
            self._index_version = version
        return self._index

    # -- matching ----------------------------------------------------------
    def match(
        self,
        request: BuyerRequest,
        top_k: int | None = None,
        include_ineligible: bool = False,
        weights: dict[str, float] | None = None,
        profile: Profile | None = None,
    ) -> MatchResult:
        """Ranked, explained matches for one request; nothing is stored.

        ``profile`` replaces the engine's weight profile for this call only.
        """
        profile = profile or self.profile
        index, rf, scores = self.score(request, weights, profile)
        lang = reason_language(rf.language)
        k = top_k or request.top_k or DEFAULT_TOP_K
        result = MatchResult(
            request_id=request.request_id,
            profile=f"{profile.name}@{profile.version}",
            model=self.embedder.name,
            n_suppliers=len(index),
            n_eligible=0,
            matches=[],
        )
        if len(index) == 0:
            result.message = message(lang, "no_suppliers")
            return result
        result.n_eligible = int(scores.eligible.sum())
        ranked = rank(scores, k, include_ineligible)
        result.matches = [build_match(r, i, index, request, rf, scores) for r, i in enumerate(ranked, start=1)]
        if result.n_eligible == 0:
            musts = ", ".join(must_have_label(key, lang) for key in scores.lacks)
            result.message = message(lang, "none_eligible", musts=musts)
            n_lacking = sum(m.astype(np.int32) for m in scores.lacks.values())
            # Nearest misses: fewest must-haves lacking, then best total, then id.
            order = np.lexsort((np.arange(len(index)), -scores.total, n_lacking))[:k]
            result.near_misses = [build_match(r, i, index, request, rf, scores) for r, i in enumerate(order, start=1)]
            if include_ineligible:
                result.matches = []
        return result

    def score(
        self, request: BuyerRequest, weights: dict[str, float] | None = None, profile: Profile | None = None
    ) -> tuple[SupplierIndex, RequestFeatures, Scores]:
        """Every factor score of every supplier for one request, before ranking.

        ``weights`` override the profile's and the request's (evaluation, ablations).
        """
        profile = profile or self.profile
        index = self.index()
        rf = request_features(request)
        w = effective_weights(profile.weights, request.weights)
        if weights:
            w.update(weights)
        check_weights(w, "weights")
        if len(index) == 0:
            empty = np.zeros(0)
            return index, rf, Scores({}, w, empty, empty.astype(bool), {}, 0.0, rf.language)
        vector = self._embed([rf.text], "embedding request")[0]
        scores = score(index, request, rf, vector, w, profile.semantic_bounds(self.embedder.name),
                       profile.default_window_days)
        return index, rf, scores

    def submit(self, request: BuyerRequest, **kwargs: Any) -> tuple[BuyerRequest, MatchResult]:
        """Store a request, match it and store the result."""
        request = ensure_request_id(request)
        self.store.upsert_requests([request])
        return request, self.match(request, **kwargs)

    def match_all(
        self, requests: list[BuyerRequest], top_k: int | None = None, profile: Profile | None = None
    ) -> list[tuple[BuyerRequest, MatchResult]]:
        out = []
        for request in requests:
            out.append((request, self.match(request, top_k=top_k, profile=profile)))
            if self.progress:
                self.progress(1, "matching requests")
        return out


__all__ = ["DEFAULT_TOP_K", "Engine", "Match", "MatchResult"]
