"""The benchmark catalogue (benchmarks/catalogue.py): deterministic, long-tailed, streamed into a real
store with vectors the engine finds in its cache. (tests/test_catalogue.py is matcher.catalogue's.)"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from benchmarks.catalogue import CatalogueGenerator, write_catalogue
from benchmarks.catalogue_requests import RequestGenerator, write_requests
from benchmarks.catalogue_vectors import VectorSynth
from matcher.columns import quantise
from matcher.engine import Engine
from matcher.features import supplier_text
from matcher.schema import BuyerRequest
from matcher.store import Store
from matcher.textnorm import text_hash
from matcher.understanding import understand

ROOT = Path(__file__).resolve().parent.parent


def dumped(sheets) -> list[str]:
    return [s.supplier.model_dump_json() for s in sheets]


def test_same_seed_same_catalogue_and_a_smaller_one_is_a_prefix():
    a = dumped(CatalogueGenerator(seed=5).sheets(1050))
    other = CatalogueGenerator(seed=5)
    assert dumped(other.block(1, 50)) == a[1000:]  # the first n suppliers of a larger catalogue: blocks
    assert dumped(other.block(0, 200)) == a[:200]
    assert dumped(CatalogueGenerator(seed=6).block(0, 100)) != a[:100]
    assert len(set(a)) == len(a)


def fingerprint(seed: int) -> str:
    generator = CatalogueGenerator(seed)
    text = "".join(dumped(generator.sheets(150))) + "\n".join(generator.pool().values())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_catalogue_is_the_same_in_another_process():
    """Nothing may depend on hash seeds or the order of ties (lingua's confidences)."""
    code = "from tests.test_scale_catalogue import fingerprint; print(fingerprint(5))"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == fingerprint(5)


def test_the_catalogue_has_a_long_tail_and_distinct_texts():
    sheets = [s.supplier for s in CatalogueGenerator(seed=7).sheets(2000)]
    products = Counter(p for s in sheets for p in s.products)
    certificates = Counter(c for s in sheets for c in s.certifications)
    assert len({s.description for s in sheets}) == len(sheets)  # not a few hundred texts
    for counts in (products, certificates):
        top = sum(c for _, c in counts.most_common(10)) / sum(counts.values())
        singletons = sum(1 for c in counts.values() if c == 1)
        assert top > 0.1 and singletons > len(counts) / 3  # a few common labels, most of them rare
    assert len(products) > 400 and max(len(s.products) for s in sheets) >= 8
    employees = sorted(s.employees for s in sheets if s.employees is not None)
    assert employees[len(employees) // 2] <= 5 and employees[-1] >= 60  # one-woman workshops beside firms
    capacity = sorted(s.monthly_capacity for s in sheets)
    assert capacity[-1] > 50 * capacity[len(capacity) // 2]  # skewed
    assert {"DZ", "MA", "TN", "EG"} <= {s.country for s in sheets}
    words = " ".join(s.description for s in sheets)
    assert "Atelier" in words and "ورشة" in words and "workshop" in words.lower()


def test_streamed_into_a_store_with_vectors_the_engine_finds(tmp_path, fake_embedder):
    store = Store(tmp_path / "cat.db")
    stats = write_catalogue(store, 1200, fake_embedder, chunk=400, cache_dir=tmp_path / "cache", fit_sample=100)
    assert store.count_suppliers() == 1200 and stats.n == 1200
    summary = stats.summary()
    assert summary["distinct_texts"] == 1200 and summary["label_sets"]["products"]["distinct"] > 300
    assert 0 < summary["label_sets"]["certifications"]["unknown_to_vocabulary"] < 1
    assert "products" in stats.text() and summary["disk_mb"] > 0
    embedded = len(fake_embedder.seen)  # the pool and the fit sample, nothing else
    assert list((tmp_path / "cache").glob("*.npy"))  # cached for the next catalogue
    engine = Engine(store, embedder=fake_embedder)
    index = engine.index()
    assert len(fake_embedder.seen) == embedded  # Engine.index() found every vector: embedded no supplier
    suppliers = store.suppliers()
    hashes = [text_hash(supplier_text(s)) for s in suppliers]
    cached = store.get_vectors(fake_embedder.name, hashes)
    vectors = np.stack([cached[h] for h in hashes])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    held = index.vectors_.take(index.live)  # live rows in id order, as store.suppliers() lists them
    assert np.array_equal(held.blocks[0], quantise(vectors))  # exactly the synthetic vectors, on the int16 grid
    request = next(RequestGenerator(seed=2).requests(1))
    result = engine.match(request)
    assert result.n_suppliers == 1200 and len(fake_embedder.seen) == embedded + 1  # only the request text
    again = write_catalogue(store, 1200, fake_embedder, chunk=1000, cache_dir=tmp_path / "cache", fit_sample=100)
    assert store.count_suppliers() == 1200 and again.n == 1200  # upserted by id, not duplicated
    assert len(fake_embedder.seen) == embedded + 1  # the pool and the fit came from the .npy cache
    store.close()


def test_similar_sheets_get_similar_vectors(fake_embedder):
    generator = CatalogueGenerator(seed=7)
    synth = VectorSynth.fitted(fake_embedder, generator, cache_dir=None, sample=100)
    sheets = generator.block(0)
    vectors = synth.synth(0, [s.parts for s in sheets])
    assert np.array_equal(vectors, synth.synth(0, [s.parts for s in sheets]))  # noise from (seed, block)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    shared = [len({k for k, _ in a.parts} & {k for k, _ in b.parts}) for a, b in itertools.pairwise(sheets)]
    cos = np.sum(vectors[:-1] * vectors[1:], axis=1)
    many, few = np.array(shared) >= 4, np.array(shared) <= 1
    assert cos[many].mean() > cos[few].mean() + 0.1
    with pytest.raises(ValueError, match="component keys"):
        VectorSynth(["a"], np.zeros((2, 3), dtype=np.float32))


def test_requests_are_distinct_six_languages_and_matchable(tmp_path):
    path = tmp_path / "r.jsonl"
    assert write_requests(path, 150, seed=4) == 150
    lines = path.read_text("utf-8").splitlines()
    requests = [BuyerRequest.model_validate(json.loads(line)) for line in lines]
    assert len({r.description for r in requests}) == 150
    assert [r.model_dump() for r in requests] == [r.model_dump() for r in RequestGenerator(seed=4).requests(150)]
    read = [understand(r) for r in requests]
    assert {u.interpretation.language for u in read} == {"en", "fr", "it", "de", "es", "ar"}
    assert all(u.request.quantity for u in read)  # a quantity in every text or field: every one can be matched
    assert sum(r.quantity is None for r in requests) > 25  # ...often only in the prose
    assert any(u.request.max_unit_price_eur and r.max_unit_price_eur is None for u, r in zip(read, requests,
                                                                                             strict=True))
