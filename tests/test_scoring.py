import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from naive_scorer import naive_totals

from matcher.columns import VECTOR_SCALE, query_vector
from matcher.factors import RequestContext, registry
from matcher.features import request_features, supplier_features
from matcher.index import SupplierIndex
from matcher.ranking import rank_order
from matcher.schema import BuyerRequest, Supplier
from matcher.scoring import score


def supplier(sid, **kw):
    base = dict(supplier_id=sid, name=sid, country="DZ", description="bijoux", products=["bagues"],
                monthly_capacity=100, lead_time_days=30)
    return Supplier(**{**base, **kw})


def request(**kw):
    return BuyerRequest(**{"buyer_name": "B", "description": "bagues en argent", "quantity": 100, **kw})


WEIGHTS = dict.fromkeys(registry.names(), 1.0)


def run(suppliers, req, weights=WEIGHTS):
    vectors = np.eye(len(suppliers), 8, dtype=np.float32)
    index = SupplierIndex().fit(suppliers, vectors)
    ctx = RequestContext(request=req, features=request_features(req), vector=np.ones(8, dtype=np.float32) / np.sqrt(8),
                         window_days=float(req.max_lead_time_days or 90))
    return index, score(index, ctx, weights)


def test_capacity_min_order_lead_time_and_price_by_hand():
    _index, s = run([
        supplier("A", monthly_capacity=150, min_order_qty=50, lead_time_days=30, price_min_eur=10, price_max_eur=20),
        supplier("B", monthly_capacity=30, min_order_qty=400, lead_time_days=90, price_min_eur=30, price_max_eur=40),
        supplier("C", monthly_capacity=0, lead_time_days=60, price_min_eur=15, price_max_eur=35),
        supplier("D", monthly_capacity=100, lead_time_days=0),
    ], request(quantity=200, max_lead_time_days=60, max_unit_price_eur=25))
    # 60-day window: A makes 300 >= 200; B makes 60 of 200; C makes none.
    assert s.factors["capacity"].tolist() == [1.0, 0.3, 0.0, 1.0]
    assert s.factors["min_order"].tolist() == [1.0, 0.5, 1.0, 1.0]
    # Lead time: within 60 days -> 1; 90 days is 50 % late -> 0.5.
    assert s.factors["lead_time"].tolist() == [1.0, 0.5, 1.0, 1.0]
    # Price: A all under 25; B from 30 is 20 % over -> 0.5 * (1 - 0.4); C half the range under -> 0.75; D unknown.
    assert s.factors["price"].tolist() == pytest.approx([1.0, 0.3, 0.75, 0.5])


def test_unstated_wishes_are_not_applicable():
    _, s = run([supplier("A")], request(description="bagues pour notre boutique de Lyon"))
    assert set(s.factors) == {"semantic", "product", "capacity", "min_order", "export", "language"}


def test_must_haves_decide_eligibility():
    suppliers = [
        supplier("A", certifications=["WFTO"], customization=True, samples=True, export_markets=["FR"]),
        supplier("B", certifications=["poinçon"], customization=True, samples=None, export_markets=["FR"]),
        supplier("C", certifications=["WFTO Guaranteed Fair Trade"], customization=False, samples=True),
    ]
    _, s = run(suppliers, request(required_certifications=["commerce équitable"], customization_required=True,
                                  samples_required=True, export_experience_required=True))
    assert s.eligible.tolist() == [True, False, False]
    assert {k: v.tolist() for k, v in s.lacks.items()} == {
        "certification:fair_trade": [False, True, False],
        "customization": [False, False, True],
        "samples": [False, True, False],
        "export_experience": [False, False, True],
    }


def test_rank_puts_eligible_first_and_breaks_ties_by_id():
    total, eligible = np.array([0.9, 0.5, 0.5, 0.1]), np.array([False, True, True, True])
    assert rank_order(total, eligible).tolist() == [1, 2, 3, 0]
    assert rank_order(total, eligible, top_k=1).tolist() == [1]
    assert rank_order(total, eligible, include_ineligible=False).tolist() == [1, 2, 3]


@st.composite
def catalogue(draw):
    n = draw(st.integers(1, 12))
    certs = st.lists(st.sampled_from(["WFTO", "poinçon", "REACH nickel", "ISO 9001", "Label X"]), max_size=3)
    out = []
    for i in range(n):
        lo = draw(st.one_of(st.none(), st.floats(0, 100)))
        hi = None if lo is None else lo + draw(st.floats(0, 100))
        out.append(supplier(
            f"S{i:02d}", monthly_capacity=draw(st.integers(0, 2000)), min_order_qty=draw(st.integers(1, 500)),
            lead_time_days=draw(st.integers(0, 120)), price_min_eur=lo, price_max_eur=hi,
            certifications=draw(certs), customization=draw(st.one_of(st.none(), st.booleans())),
            export_markets=draw(st.lists(st.sampled_from(["FR", "DE", "US"]), max_size=3, unique=True)),
            products=draw(st.lists(st.sampled_from(["bagues", "plateaux", "lanternes", "tapis"]), min_size=1,
                                   max_size=2, unique=True)),
        ))
    req = request(
        quantity=draw(st.integers(1, 3000)), max_lead_time_days=draw(st.one_of(st.none(), st.integers(1, 90))),
        max_unit_price_eur=draw(st.one_of(st.none(), st.floats(1, 150))),
        required_certifications=draw(st.lists(st.sampled_from(["WFTO", "poinçon"]), max_size=1)),
        preferred_certifications=draw(certs), customization_required=draw(st.booleans()),
        buyer_country=draw(st.one_of(st.none(), st.sampled_from(["FR", "GB"]))),
    )
    return out, req


@settings(max_examples=60, deadline=None)
@given(catalogue())
def test_vectorised_scorer_equals_naive_reference(case):
    suppliers, req = case
    index, s = run(suppliers, req)
    vector = (query_vector(np.ones(8) / np.sqrt(8)) / VECTOR_SCALE).tolist()  # on the same grid
    records = sorted(suppliers, key=lambda x: x.supplier_id)  # the index's row order
    feats = [supplier_features(x) for x in records]
    rows = index.vectors_.float_rows(np.arange(len(records))).tolist()  # as stored (int16 fixed point)
    expected = naive_totals(records, feats, rows, req, request_features(req), vector, WEIGHTS)
    assert s.total.tolist() == pytest.approx([t for t, _ in expected])
    assert s.eligible.tolist() == [e for _, e in expected]
    assert all(0.0 <= t <= 1.0 for t in s.total)
    ranked = s.rank().tolist()
    flags = [bool(s.eligible[i]) for i in ranked]
    assert flags == sorted(flags, reverse=True)  # no ineligible supplier above an eligible one
