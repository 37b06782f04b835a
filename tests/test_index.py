"""The supplier index: sparse columns, exact vectors, pruned top k, incremental updates."""

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import scoring
from matcher.columns import VECTOR_SCALE, BinarySet, Vectors, Words, quantise, query_vector
from matcher.engine import Engine
from matcher.index import IndexCache, SupplierIndex
from matcher.schema import BuyerRequest, Supplier

LABELS = st.lists(st.sets(st.sampled_from(list("abcdefgh")), max_size=4), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(LABELS, LABELS, st.lists(st.sampled_from(list("abcdefghz")), max_size=4))
def test_binary_set_answers_like_a_dense_matrix(first, second, ids):
    sets = first + second
    column = BinarySet(first).concat(BinarySet(second))
    dense = np.array([[x in s for x in "abcdefghz"] for s in sets])
    cols = ["abcdefghz".index(i) for i in ids]
    assert column.count(ids).tolist() == dense[:, cols].sum(axis=1).tolist()
    assert column.coverage(ids).tolist() == (dense[:, cols].sum(axis=1) / max(len(ids), 1)).tolist()
    assert column.has("c").tolist() == dense[:, 2].tolist()
    assert column.nonempty().tolist() == dense.any(axis=1).tolist()
    assert [column.row(i) for i in range(len(sets))] == [set(s) for s in sets]
    keep = np.arange(0, len(sets), 2)
    assert [column.take(keep).row(i) for i in range(len(keep))] == [set(sets[i]) for i in keep]


def test_words_find_phrases_as_adjacent_words():
    texts = [["label", "artisan", "d", "art"], ["artisan", "label"], ["label", "qualite", "artisan"], []]
    words = Words(texts[:2]).concat(Words(texts[2:]))
    assert words.phrase(["label", "artisan"]).tolist() == [True, False, False, False]
    assert words.phrase(["artisan"]).tolist() == [True, True, True, False]
    assert words.phrase(["label", "artisan", "d", "art"]).tolist() == [True, False, False, False]
    kept = words.take(np.array([1, 2]))
    assert kept.phrase(["artisan"]).tolist() == [True, True] and len(kept) == 2
    assert kept.concat(Words([["artisan"]])).phrase(["artisan"]).tolist() == [True, True, True]


def test_vector_dot_products_are_exact_whatever_the_rows_or_the_batch():
    rng = np.random.default_rng(3)
    v = rng.standard_normal((5000, 64)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    q = [query_vector(v[i]) for i in (1, 2, 3)]
    vectors = Vectors([quantise(v[:3000])]).concat(quantise(v[3000:]))
    full = vectors.dot(q[0])
    rows = np.array([4999, 3, 2999, 3000, 17])
    assert vectors.dot(q[0], rows).tolist() == full[rows].tolist()
    batch = vectors.dot(np.stack(q))
    assert batch[:, 0].tolist() == full.tolist() and batch.shape == (5000, 3)
    ints = quantise(v).astype(np.int64) @ q[0].astype(np.int64)  # integer arithmetic, no rounding
    assert full.tolist() == ints.astype(np.float64).tolist()
    assert abs(full[1] / VECTOR_SCALE**2 - 1.0) < 1e-3
    assert vectors.take(rows).dot(q[0]).tolist() == full[rows].tolist()


def supplier(i: int, rng: np.random.Generator) -> Supplier:
    products = [["bagues"], ["boucles d'oreilles"], ["plateaux"], ["bracelets", "bagues"], ["tapis"]][i % 5]
    return Supplier(supplier_id=f"S{i:04d}", name=f"Atelier {i}", country=["DZ", "TN", "MA"][i % 3],
                    description=f"atelier {['argent', 'cuivre martelé', 'laine'][i % 3]} {i % 7}",
                    products=products, monthly_capacity=int(rng.integers(0, 900)),
                    min_order_qty=int(rng.integers(1, 200)), lead_time_days=int(rng.integers(5, 90)),
                    certifications=[["WFTO"], [], ["poinçon"]][i % 3], languages=["fr"] if i % 2 else ["ar"])


REQUESTS = [
    BuyerRequest(buyer_name="B", description="bagues en argent, 200 pièces", quantity=200),
    BuyerRequest(buyer_name="B", description="silver earrings, WFTO required", quantity=50, max_lead_time_days=30),
    BuyerRequest(buyer_name="B", description="plateaux en cuivre", quantity=20, required_certifications=["poinçon"]),
    BuyerRequest(buyer_name="B", description="anything handmade", quantity=5),
]


@pytest.fixture
def catalogue(store, fake_embedder):
    rng = np.random.default_rng(11)
    store.upsert_suppliers([supplier(i, rng) for i in range(400)])
    return Engine(store, embedder=fake_embedder)


@pytest.mark.parametrize(("k", "first"), [(1, 16), (3, 256), (10, 16), (50, 256)])
def test_pruned_top_k_is_the_exact_top_k(catalogue, monkeypatch, k, first):
    monkeypatch.setattr(scoring, "FIRST_ROWS", first)
    for request in REQUESTS:
        for include in (False, True):
            pruned = catalogue.score(request)
            full = catalogue.score(request)
            full.complete()
            got = pruned.rank(k, include, include_filler=include)
            assert got.tolist() == full.rank(k, include, include_filler=include).tolist()
            assert pruned.totals_at(got).tolist() == full.total[got].tolist()
    silver = catalogue.score(REQUESTS[0])
    silver.rank(k, include_ineligible=False, include_filler=False)
    if first < 256:
        assert int(silver.done["semantic"].sum()) < 200  # most rows never had their vector read


def _answers(engine: Engine) -> list[list[tuple[str, float]]]:
    return [[(m.supplier_id, m.score) for m in engine.match(r, top_k=25, include_ineligible=True).matches]
            for r in REQUESTS]


def test_updates_give_what_a_fresh_build_gives_and_leave_readers_alone(catalogue, store, fake_embedder):
    rng = np.random.default_rng(5)
    old = catalogue.index()
    before = _answers(catalogue)
    store.upsert_suppliers([supplier(i, rng) for i in (3, 50, 401, 402)])  # two changed, two new
    store.delete_supplier("S0007")
    new = catalogue.index()
    assert new is not old and new.n_live == 401 and len(new) == 404  # four rows appended, three dead
    assert old.n_live == 400 and _answers(Engine(store, embedder=fake_embedder)) == _answers(catalogue)
    everyone = {m.supplier_id for m in catalogue.match(REQUESTS[0], top_k=1000, include_ineligible=True).matches}
    assert len(everyone) == 401 and {"S0401", "S0402"} <= everyone and "S0007" not in everyone
    assert len(before) == 4
    version = store.suppliers_version()
    again = np.random.default_rng(5)
    store.upsert_suppliers([supplier(i, again) for i in (3, 50)])  # the same rows again
    assert store.suppliers_version() == version and catalogue.index() is new  # no work at all


def test_many_changes_compact_the_index(catalogue, store, fake_embedder):
    rng = np.random.default_rng(8)
    store.upsert_suppliers([supplier(i, rng) for i in range(0, 400, 3)])  # a third replaced
    index = catalogue.index()
    assert len(index) == index.n_live == 400 and index.in_id_order and len(index.vectors_.blocks) == 1
    assert _answers(Engine(store, embedder=fake_embedder)) == _answers(catalogue)


def test_emptied_catalogue_is_rebuilt(catalogue, store):
    catalogue.index()
    store.delete_all_suppliers()
    store.upsert_suppliers([supplier(1, np.random.default_rng(1))])
    assert catalogue.index().n_live == 1 and len(catalogue.index()) == 1


def test_readers_keep_the_old_index_while_another_thread_updates():
    cache, started, release = IndexCache(), threading.Event(), threading.Event()
    old = SupplierIndex().fit([], np.zeros((0, 4), dtype=np.float32))
    assert cache.get(("db",), 0, lambda: old, lambda i: i) is old
    new = SupplierIndex(1).fit([], np.zeros((0, 4), dtype=np.float32))
    new.version_ = 1

    def slow_update(index: SupplierIndex) -> SupplierIndex:
        started.set()
        release.wait(10)
        return new

    writer = threading.Thread(target=lambda: cache.get(("db",), 1, lambda: new, slow_update))
    writer.start()
    assert started.wait(10)
    assert cache.get(("db",), 1, lambda: new, slow_update, wait=False) is old  # answered at once
    release.set()
    writer.join(10)
    assert cache.get(("db",), 1, lambda: new, slow_update) is new


def test_batched_matching_gives_what_one_at_a_time_gives(catalogue, monkeypatch):
    monkeypatch.setattr(scoring, "MAX_CHUNK", 3)  # chunks of 3, 1: the last one short
    one = [catalogue.match(r, top_k=7, include_ineligible=True) for r in REQUESTS]
    batch = catalogue.match_all(REQUESTS, top_k=7, include_ineligible=True)
    assert [r for r, _ in batch] == REQUESTS
    assert [res.model_dump() for _, res in batch] == [res.model_dump() for res in one]
    assert scoring.chunk_size(10**6) == 2 and scoring.chunk_size(10) == 3


def test_every_factor_scores_a_view_of_rows_as_it_scores_them_all(catalogue):
    from matcher.factors import registry

    request = BuyerRequest(buyer_name="B", buyer_country="FR", description="bagues en argent, WFTO, laine",
                           quantity=120, max_lead_time_days=40, max_unit_price_eur=30, materials=["argent"],
                           sustainability=["recycled silver"], preferred_certifications=["WFTO"],
                           preferred_countries=["TN"])
    scored = catalogue.score(request)
    rows = np.array([0, 5, 17, 18, 250, 399])
    applicable = [f for f in registry.weighted() if f.name in scored.queries]
    assert len(applicable) >= 11
    for f in applicable:
        q = scored.queries[f.name]
        full = f.score(scored.index, q, scored.context)
        assert f.score_rows(scored.index, q, scored.context, rows).tolist() == full[rows].tolist(), f.name
