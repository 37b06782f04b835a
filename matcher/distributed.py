"""Batch matching split over blocks of suppliers, on a Dask cluster (or a local one).

A shortlist over millions of request-supplier pairs is cut by supplier: each block of ids is one
task that reads its suppliers from the store (vectors from the store's embedding cache), scores
every request against them (``scoring.score_many``) and sends back, per request, its best
candidates and a :class:`~matcher.feasibility.Summary` of the block (counts, what its best suppliers
can do). The client then indexes the candidates of all blocks together and scores them again: a
handful of rows per request, ranked and explained exactly as the single-process engine ranks and
explains them, because every factor is a function of one supplier row and the vectors' dot products
are exact (the same bits in every process). The blocks' summaries add up to the catalogue's.

Every worker opens the store itself: a SQLite file on the machine of a local cluster, a PostgreSQL
database for a cluster of machines. The request vectors are computed once, by the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matcher.errors import ConfigError, InputError
from matcher.feasibility import PoolStats, Summary, summarise
from matcher.index import SupplierIndex
from matcher.scoring import chunk_size, score_many

if TYPE_CHECKING:
    from matcher.engine import Engine
    from matcher.explain import MatchResult
    from matcher.factors.base import RequestContext
    from matcher.schema import BuyerRequest

BLOCK_SUPPLIERS = 50_000  # suppliers per task


@dataclass
class BlockAnswer:
    """One block's answer for one request."""

    candidates: list[str]  # supplier ids that may be in the request's top k (or its nearest misses)
    summary: Summary


def score_block(db: str, profile: Any, embedder: Any, first: str, before: str | None,
                ctxs: list[RequestContext], k: list[int], include_ineligible: bool) -> list[BlockAnswer]:
    """Score every request (understood, with its vector, by the client) against the suppliers
    ``first`` <= id < ``before`` (runs on a worker)."""
    from matcher.engine import Engine, nearest
    from matcher.store import Store

    store = Store(db, migrate=False)
    try:
        engine = Engine(store, profile=profile, embedder=embedder)
        suppliers = store.suppliers_between(first, before)
        index = SupplierIndex().fit(suppliers, engine.embed_suppliers(suppliers))
        out = []
        size = chunk_size(len(index))
        for start in range(0, len(ctxs), size):
            chunk = ctxs[start:start + size]
            for j, scored in enumerate(score_many(index, chunk, [c.weights for c in chunk]), start=start):
                rows = [int(i) for i in scored.rank(k[j], include_ineligible, include_filler=include_ineligible)]
                summary = summarise(scored)
                if index.n_live and summary.n_eligible == 0:  # the catalogue's nearest misses are among these
                    rows += [int(i) for i in nearest(scored, k[j])]
                out.append(BlockAnswer(sorted({str(index.ids_[i]) for i in rows}), summary))
        return out
    finally:
        store.close()


def connect(address: str) -> Any:
    """A Dask client: ``local`` starts a cluster on this machine (one single-threaded worker per
    core), anything else is a scheduler address (tcp://host:8786)."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ConfigError("--dask needs the packages dask and distributed (pip install '.[scale]')") from exc
    if address == "local":  # the client owns the cluster: closing it stops the workers
        return Client(threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(address)


def match_all(engine: Engine, requests: list[BuyerRequest], client: Any, top_k: int | None = None,
              include_ineligible: bool = False, block: int = BLOCK_SUPPLIERS) -> list[tuple[BuyerRequest, MatchResult]]:
    """``engine.match_all`` with the catalogue split into blocks scored on ``client``'s workers;
    the same results (tests/test_distributed.py)."""
    from matcher.bounds import DEFAULT_TOP_K
    from matcher.scoring import score

    store, label = engine.store, f"{engine.profile.name}@{engine.profile.version}"
    version = store.suppliers_version()
    ks = [top_k or r.top_k or DEFAULT_TOP_K for r in requests]
    ctxs = [engine.context(r) for r in requests]  # refuses a request without quantity before any work
    for ctx, vector in zip(ctxs, engine.embed_texts([c.features.text for c in ctxs]), strict=True):
        ctx.vector = vector
    starts = store.supplier_blocks(block)
    bounds = list(zip(starts, [*starts[1:], None], strict=True))
    base = engine.embedder.embedder
    futures = client.map(score_block, [store.path] * len(bounds), [engine.profile] * len(bounds),
                         [base] * len(bounds), [b[0] for b in bounds], [b[1] for b in bounds],
                         ctxs=ctxs, k=ks,
                         include_ineligible=include_ineligible, pure=False)
    answers: list[list[BlockAnswer]] = client.gather(futures)
    if store.suppliers_version() != version:
        raise InputError("suppliers changed while the blocks were scored; run the shortlist again")
    wanted = sorted({sid for per_block in answers for a in per_block for sid in a.candidates})
    records = store.get_suppliers(wanted)
    kept = [records[s] for s in wanted]
    small = SupplierIndex().fit(kept, engine.embed_suppliers(kept))
    out = []
    for j, (request, ctx) in enumerate(zip(requests, ctxs, strict=True)):
        whole = Summary(0, 0, 0, PoolStats(), PoolStats())
        for per_block in answers:
            whole = whole.merge(per_block[j].summary)
        scored = score(small, ctx, ctx.weights, defer=False, fetch=store.get_suppliers)
        out.append((request, engine.explain(scored, ks[j], include_ineligible, label, summary=whole)))
    return out
