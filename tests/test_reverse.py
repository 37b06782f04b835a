"""Reverse matching (issue 14): one supplier against every open request, the forward engine's scores exactly."""

import numpy as np

from matcher.reverse import gaps, score_supplier, supplier_matches
from tests.conftest import DATA


def _loaded(engine):
    engine.import_file(DATA / "requests.jsonl", "request")
    return engine


def test_reverse_scores_are_the_forward_scores_bit_for_bit(sample_engine):
    engine = _loaded(sample_engine)
    index = engine.index()
    checked = offered = 0
    for sid in ("BAT-002", "CST-001", str(index.ids_[index.live[-1]])):
        supplier = engine.store.get_suppliers([sid])[sid]
        pos = int(index.positions([sid])[0])
        for request, reverse in score_supplier(engine, supplier):
            forward = engine.score(request)
            assert reverse.total[0] == forward.total_at(pos)  # exact, not approximately
            assert bool(reverse.eligible[0]) == bool(forward.eligible[pos])
            assert bool(reverse.offered[0]) == bool(forward.offered[pos])
            for name, values in reverse.values.items():
                assert values[0] == forward.factors[name][pos], (sid, request.request_id, name)
            checked += 1
            offered += bool(reverse.offered[0])
    assert checked >= 3 * 10 and 0 < offered < checked


def test_matches_are_the_requests_that_would_offer_the_supplier_ranked(sample_engine):
    engine = _loaded(sample_engine)
    found = supplier_matches(engine, "BAT-002", "ar")
    assert found.locale == "ar" and found.n_open == len(engine.store.requests())
    offered = {str(r.request_id) for r in engine.store.requests()
               if engine.score(r).offered[int(engine.index().positions(["BAT-002"])[0])]}
    assert {m.request.request_id for m in found.matches} == offered
    scores = [m.score for m in found.matches]
    assert scores == sorted(scores, reverse=True) and [m.rank for m in found.matches] == list(range(1, len(scores) + 1))
    first = found.matches[0]
    assert "buyer_name" not in first.request.model_dump()
    assert any("\u0600" <= ch <= "\u06ff" for r in first.reasons for ch in r.text)  # rendered in Arabic


def test_gaps_count_the_requests_each_must_have_would_open(sample_engine):
    engine = _loaded(sample_engine)
    for sid in ("BAT-002", "BAT-001", "CST-001", "BAT-005"):
        scored = [s for _, s in score_supplier(engine, engine.store.get_suppliers([sid])[sid])]
        for gap in gaps(scored, "en"):
            # independent count: requests for what it makes whose only missing must-have is this one
            lacking = [{g.key for g in s.gates if g.missing[0]} for s in scored
                       if not s.filler[0] and not s.eligible[0]]
            assert gap.opens == sum(1 for miss in lacking if miss == {gap.id})
            assert gap.required_by == sum(1 for miss in lacking if gap.id in miss)
            assert gap.text.startswith(f"Add {gap.label} to your profile: {gap.required_by} open requests")
        assert np.all(np.diff([-g.opens for g in gaps(scored, "en")]) >= 0)
