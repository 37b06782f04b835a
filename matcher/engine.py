"""The engine: one object the CLI, the API, evaluation and the fair planner call.

An engine binds one store (a connection) to the shared, expensive parts: the weight profile,
the embedding model and the supplier index (an :class:`IndexCache`, rebuilt only when
suppliers change). Engines are cheap: the web app makes one per HTTP request around the
app-wide model and index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from matcher import feasibility, i18n
from matcher.bounds import DEFAULT_TOP_K
from matcher.embeddings import CachedEmbedder, Embedder, get_embedder
from matcher.errors import FieldProblem, Invalid, RecordError
from matcher.explain import Match, MatchResult, build_match, must_have_label
from matcher.factors.base import RequestContext
from matcher.features import features_of, supplier_text
from matcher.index import IndexCache, SupplierIndex
from matcher.io.importer import ImportReport, ensure_request_id, import_file
from matcher.profiles import Profile, check_weights, load_profile
from matcher.ranking import effective_weights
from matcher.schema import BuyerRequest, Kind, Supplier
from matcher.scoring import ScoredRequest, chunk_size, score, score_many
from matcher.store import Store
from matcher.understanding import understand


def nearest(scored: ScoredRequest, k: int) -> np.ndarray:
    """Nearest misses: fewest must-haves lacking, then best total, then id (live rows only)."""
    n_lacking = np.asarray(np.sum([g.missing for g in scored.gates], axis=0, dtype=np.int32))
    live = scored.index.live  # in id order
    return live[np.lexsort((np.arange(len(live)), -scored.total[live], n_lacking[live]))][:k]


class Engine:
    """Match buyer requests against the suppliers of one store."""

    def __init__(
        self,
        store: Store,
        profile: Profile | str | None = None,
        embedder: Embedder | str | None = None,
        progress: Callable[[int, str], Any] | None = None,
        indexes: IndexCache | None = None,
        extract: bool = True,
    ) -> None:
        self.store = store
        self.profile = profile if isinstance(profile, Profile) else load_profile(profile or "default")
        base = embedder if isinstance(embedder, Embedder) else get_embedder(embedder or self.profile.embedder)
        self.embedder = CachedEmbedder(base, store)
        self.progress = progress
        self.indexes = indexes or IndexCache()
        self.extract = extract  # read requirements from descriptions (off: the evaluation's ablation)

    # -- suppliers ---------------------------------------------------------
    def import_file(self, path: str | Path, kind: Kind, strict: bool = False) -> ImportReport:
        report = import_file(self.store, path, kind, strict=strict)
        if kind == "supplier" and report.ids:
            self.index()  # embed new text now, while the user watches the progress bar
        return report

    def _embed(self, texts: list[str], what: str) -> np.ndarray:
        progress = self.progress
        if progress:
            self.embedder.progress = lambda n: progress(n, what)
        try:
            return self.embedder.encode(texts)
        finally:
            self.embedder.progress = None

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        """Request texts as unit vectors (the cache first), in one batched call."""
        return self._embed(texts, "embedding requests")

    def embed_suppliers(self, suppliers: list[Supplier]) -> np.ndarray:
        return self._embed([supplier_text(s) for s in suppliers], "embedding suppliers")

    def index(self, wait: bool = True) -> SupplierIndex:
        """The supplier index, brought up to date with the store: built once, then updated with the
        suppliers changed since (``wait=False``: the current one at once if another thread is
        already updating it)."""
        return self.indexes.get((self.store.path, self.embedder.name), self.store.suppliers_version(),
                                self._build_index, self._update_index, wait)

    def _build_index(self) -> SupplierIndex:
        seen: list[int] = []

        def blocks() -> Iterator[tuple[list[Supplier], np.ndarray]]:
            for suppliers, version in self.store.supplier_batches():
                seen.append(version)
                yield suppliers, self.embed_suppliers(suppliers)

        index = SupplierIndex().fit_blocks(blocks())
        index.version_ = seen[0] if seen else self.store.suppliers_version()
        return self._update_index(index) if seen and seen[-1] != seen[0] else index

    def _update_index(self, index: SupplierIndex) -> SupplierIndex:
        changes = self.store.supplier_changes(index.version_)
        if changes is None:  # the catalogue was emptied since
            return self._build_index()
        changed, removed, version = changes
        vectors = self.embed_suppliers(changed)
        return index.updated(changed, vectors, removed, version)

    # -- matching ----------------------------------------------------------
    def context(self, request: BuyerRequest, profile: Profile | None = None) -> RequestContext:
        """What the factors read about one request (understood, weighted; no vector yet)."""
        profile = profile or self.profile
        understood = understand(request, self.extract)
        effective, rf = understood.request, features_of(understood, self.extract)
        if effective.quantity is None:
            missing = Invalid("invalid.quantity_missing")
            raise RecordError([FieldProblem("quantity", str(missing), None, None, missing.msgid, missing.params)])
        return RequestContext(request=effective, features=rf,
                              semantic_bounds=profile.semantic_bounds(self.embedder.name),
                              window_days=float(effective.max_lead_time_days or profile.default_window_days),
                              weights=check_weights(effective_weights(profile.weights, request.weights), "weights"))

    def score(self, request: BuyerRequest, profile: Profile | None = None) -> ScoredRequest:
        """Every factor score of every supplier for one request, before ranking (the semantic factor
        is scored when a ranking or the whole total asks for it)."""
        index = self.index()
        ctx = self.context(request, profile)
        if index.n_live:
            ctx.vector = self._embed([ctx.features.text], "embedding request")[0]
        return score(index, ctx, ctx.weights, fetch=self.store.get_suppliers)

    def score_many(self, requests: list[BuyerRequest], profile: Profile | None = None,
                   lazy: bool = False) -> Iterator[ScoredRequest]:
        """Every supplier scored for each request, fully, a chunk of requests at a time: one batched
        encode for all texts, one matrix product per chunk for the semantic factor. Chunks keep the
        arrays held under ``scoring.BATCH_BYTES``. ``lazy``: one batched encode, then each request
        scored as ``score`` does (rows only where its top k needs them), one at a time."""
        index = self.index()
        ctxs = [self.context(r, profile) for r in requests]
        if index.n_live and ctxs:
            for ctx, vector in zip(ctxs, self.embed_texts([c.features.text for c in ctxs]), strict=True):
                ctx.vector = vector
        if lazy:
            for ctx in ctxs:
                yield score(index, ctx, ctx.weights, fetch=self.store.get_suppliers)
            return
        for start in range(0, len(ctxs), size := chunk_size(len(index))):
            chunk = ctxs[start:start + size]
            yield from score_many(index, chunk, [c.weights for c in chunk], fetch=self.store.get_suppliers)

    def match(self, request: BuyerRequest, top_k: int | None = None, include_ineligible: bool = False,
              profile: Profile | None = None) -> MatchResult:
        """Ranked, explained matches for one request; nothing is stored.

        ``profile`` replaces the engine's weight profile for this call only.
        """
        profile = profile or self.profile
        scored = self.score(request, profile=profile)
        return self.explain(scored, top_k or request.top_k or DEFAULT_TOP_K, include_ineligible,
                            f"{profile.name}@{profile.version}")

    def explain(self, scored: ScoredRequest, k: int, include_ineligible: bool, profile_label: str,
                summary: feasibility.Summary | None = None) -> MatchResult:
        """The top ``k`` of a scored request as an explained result.

        Offered are the eligible suppliers that make the requested family; ``include_ineligible`` lists
        every other supplier after them (fillers, then those missing a must-have). When nothing is
        eligible, or no offered supplier can meet the quantity, lead time or price, the result says so
        and lists nearest misses instead of matches. ``summary``: the whole catalogue's, when
        ``scored`` covers only candidates drawn from it (matcher.distributed).
        """
        loc = i18n.locale_for(scored.language)
        whole = summary or feasibility.summarise(scored)
        result = MatchResult(request_id=scored.request.request_id, profile=profile_label, model=self.embedder.name,
                             n_suppliers=whole.n_suppliers, n_eligible=whole.n_eligible, matches=[],
                             interpretation=scored.context.features.interpretation)
        if whole.n_suppliers == 0:
            result.message = i18n.msg(loc, "result.no_suppliers")
            return result
        if not include_ineligible:
            result.n_filler_left_out = whole.n_filler
        ranked = scored.rank(k, include_ineligible, include_filler=include_ineligible)
        scored.suppliers([int(i) for i in ranked])  # one fetch for the records shown
        result.matches = [build_match(scored, r, i) for r, i in enumerate(ranked, start=1)]
        if whole.n_eligible == 0:
            musts = ", ".join(must_have_label(scored, g.key, loc) for g in scored.gates)
            result.message = i18n.msg(loc, "result.none_eligible", musts=musts)
            near = nearest(scored, k)
            scored.suppliers([int(i) for i in near])
            result.near_misses = [build_match(scored, r, i) for r, i in enumerate(near, start=1)]
            if include_ineligible:
                result.matches = []
            return result
        result.feasibility = feasibility.verdict(whole.offered, whole.eligible, scored.request,
                                                 scored.context.window_days, loc)
        if result.feasibility:
            result.message = " ".join([*(f.text for f in result.feasibility), i18n.msg(loc, "result.nearest")])
            result.near_misses, result.matches = result.matches, []
        elif result.n_filler_left_out:
            result.message = i18n.msg(loc, "result.filler_left_out", n=result.n_filler_left_out)
        return result

    def submit(self, request: BuyerRequest, **kwargs: Any) -> tuple[BuyerRequest, MatchResult]:
        """Match a request and store it (nothing is stored when it cannot be matched, e.g. no quantity)."""
        request = ensure_request_id(request)
        result = self.match(request, **kwargs)
        self.store.upsert_requests([request])
        return request, result

    def match_all(self, requests: list[BuyerRequest], top_k: int | None = None, profile: Profile | None = None,
                  include_ineligible: bool = False) -> list[tuple[BuyerRequest, MatchResult]]:
        """``match`` for many requests: their texts embedded in one batch, then each scored only
        where its top k needs it (``score_many(lazy=True)``): the same results, for less work."""
        profile = profile or self.profile
        label = f"{profile.name}@{profile.version}"
        out = []
        for request, scored in zip(requests, self.score_many(requests, profile, lazy=True), strict=True):
            k = top_k or request.top_k or DEFAULT_TOP_K
            out.append((request, self.explain(scored, k, include_ineligible, label)))
            if self.progress:
                self.progress(1, "matching requests")
        return out


__all__ = ["DEFAULT_TOP_K", "Engine", "Match", "MatchResult"]
