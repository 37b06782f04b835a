"""The benchmark baselines: the careful per-row scorer ranks exactly as Engine.match; numpy top-k is a sort."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.baselines import CarefulScorer, cosine_top_k, recall_at_k, request_side
from benchmarks.catalogue import write_catalogue
from benchmarks.catalogue_requests import RequestGenerator
from matcher.engine import Engine
from matcher.features import supplier_text
from matcher.schema import BuyerRequest
from matcher.textnorm import text_hash


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """2 000 generated suppliers in a store (vectors from the fake hashing embedder's pool), an engine on
    it, and the careful scorer over the same suppliers and the vectors the store's cache holds."""
    from matcher.store import Store
    from tests.conftest import CountingEmbedder

    store, embedder = Store(tmp_path_factory.mktemp("careful") / "c.db"), CountingEmbedder()
    write_catalogue(store, 2000, embedder, cache_dir=None)
    engine = Engine(store, embedder=embedder)
    suppliers = store.suppliers()
    hashes = [text_hash(supplier_text(s)) for s in suppliers]
    found = store.get_vectors(embedder.name, hashes)
    yield engine, CarefulScorer(suppliers, np.stack([found[h] for h in hashes]))
    store.close()


def requests(n: int) -> list[BuyerRequest]:
    """Generated requests, and one that nobody can serve (a local label nobody names: nearest misses)."""
    nobody = BuyerRequest(buyer_name="B", description="Boucles d'oreilles en argent, 300 pièces.",
                          required_certifications=["Label Oasis d'Or 2099"], samples_required=True)
    return [*RequestGenerator(seed=3).requests(n), nobody]


@pytest.mark.parametrize(("dot", "n"), [("blas", 40), ("python", 8)])
def test_careful_scorer_ranks_as_the_engine(catalogue, dot, n):
    engine, careful = catalogue
    compared = nobody_eligible = 0
    for request in requests(n):
        result = engine.match(request, top_k=10)
        expected = [m.supplier_id for m in (result.matches or result.near_misses)]
        side = request_side(request, engine.profile, engine.embedder.name)
        got = careful.top_k(side, engine.embedder.encode([side.features.text])[0], k=10, dot=dot)
        assert got == expected, request.request_id
        compared += len(expected) == 10
        nobody_eligible += result.n_eligible == 0
    assert compared >= n // 2  # most lists compared are full top-10s
    assert nobody_eligible >= 1  # the nearest-miss path is compared too


def test_careful_scorer_refuses_a_registry_it_does_not_know(catalogue):
    from matcher.factors import Factor, registry

    class Extra(Factor):
        name, position = "extra_test_factor", 999

    with registry.extra(Extra()), pytest.raises(RuntimeError, match="careful scorer knows"):
        CarefulScorer([], np.zeros((0, 4), dtype=np.float32))


def test_cosine_top_k_equals_a_full_sort():
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((3000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[7] = vectors[11]  # a tie: broken by index
    queries = np.vstack([vectors[11], rng.standard_normal((5, 32)).astype(np.float32)])
    idx, sims = cosine_top_k(vectors, queries, k=10, max_cells=7000)  # several chunks
    for q, row, values in zip(queries, idx, sims, strict=True):
        full = vectors @ q
        order = sorted(range(len(full)), key=lambda i: (-full[i], i))[:10]
        assert row.tolist() == order
        assert np.allclose(values, full[order])
    assert idx[0][:2].tolist() == [7, 11]
    one, _ = cosine_top_k(vectors, queries[1], k=5)
    assert one.tolist() == idx[1][:5].tolist()
    assert recall_at_k(idx, idx) == 1.0
    assert recall_at_k(idx[:, ::-1][:, :5], idx[:, :10]) == 0.5
