import math
import random

import ir_measures
import pytest

from matcher.evaluation import metrics

QRELS = {"a": 3, "b": 0, "c": 2, "d": 1}
RUN = ["b", "a", "x", "c"]


def agree_with_ir_measures(measures, qrels, run) -> int:
    """Assert each of our functions equals ir_measures' value per query; return how many were checked.

    trec_eval's nDCG uses linear gain, ours exponential: relevance 2^g - 1 makes them the same number.
    """
    ref_qrels = [ir_measures.Qrel(q, d, 2**g - 1) for q, gs in qrels.items() for d, g in gs.items()]
    ref_run = [ir_measures.ScoredDoc(q, d, float(len(r) - i)) for q, r in run.items() for i, d in enumerate(r)]
    checked = 0
    for m in ir_measures.iter_calc(list(measures), ref_qrels, ref_run):
        ours = measures[m.measure](run[m.query_id], qrels[m.query_id])
        assert ours == pytest.approx(m.value, abs=1e-9), (m.measure, m.query_id)
        checked += 1
    return checked


def test_ndcg_by_hand():
    dcg = 0 / math.log2(2) + 7 / math.log2(3) + 0 / math.log2(4) + 3 / math.log2(5)
    idcg = 7 / math.log2(2) + 3 / math.log2(3) + 1 / math.log2(4)
    assert metrics.dcg_at_k(RUN, QRELS, 4) == pytest.approx(dcg)
    assert metrics.ndcg_at_k(RUN, QRELS, 4) == pytest.approx(dcg / idcg)
    assert metrics.ndcg_at_k(RUN, {"z": 0}, 4) == 0.0


def test_binary_metrics_by_hand():
    assert metrics.precision_at_k(RUN, QRELS, 4) == 0.5
    assert metrics.recall_at_k(RUN, QRELS, 2) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(RUN, QRELS) == 0.5
    assert metrics.reciprocal_rank(RUN, QRELS, min_grade=3) == 0.5
    assert metrics.average_precision(RUN, QRELS) == pytest.approx((1 / 2 + 2 / 4) / 3)
    assert metrics.recall_at_k(RUN, {}, 3) == 0.0 and metrics.average_precision(RUN, {}) == 0.0


def test_matching_metrics_by_hand():
    assert metrics.ineligible_above_eligible(["a", "x", "b", "y", "c"], {"x", "y"}) == 1 + 2
    assert metrics.ineligible_above_eligible(["a", "b", "x"], {"x"}) == 0
    assert metrics.overlap_at_k(["a", "b", "c"], ["c", "d", "a"], 3) == pytest.approx(2 / 3)
    assert metrics.overlap_at_k(["a"], ["a"], 10) == 1.0  # short lists are not penalised
    assert metrics.overlap_at_k([], [], 10) == 1.0
    assert metrics.coverage([0, 2, 1, 0]) == 0.5
    assert metrics.gini([1, 1, 1, 1]) == 0.0
    assert metrics.gini([0, 0, 0, 4]) == pytest.approx(3 / 4)
    # x = 1, 2, 3: sum (2i - 4) x_i = -2 + 0 + 6 = 4; / (3 * 6)
    assert metrics.gini([3, 1, 2]) == pytest.approx(4 / 18)


def test_metrics_agree_with_trec_eval_through_ir_measures():
    """Random graded qrels and runs; ir_measures (pytrec_eval) is the reference.

    trec_eval's nDCG uses linear gain, ours exponential: feeding it relevance 2^g - 1
    makes the two definitions the same number.
    """
    from ir_measures import AP, RR, P, R, nDCG

    rng = random.Random(7)
    qrels, run = {}, {}
    for q in range(40):
        docs = [f"d{i}" for i in range(rng.randint(3, 30))]
        grades = {d: rng.choice([0, 0, 0, 1, 2, 3]) for d in docs}
        grades[rng.choice(docs)] = rng.randint(1, 3)  # at least one relevant
        qrels[f"q{q}"] = grades
        ranked = rng.sample([*docs, "unjudged1", "unjudged2"], k=min(len(docs) + 2, rng.randint(1, 25)))
        run[f"q{q}"] = ranked
    measures = {nDCG @ 5: lambda r, g: metrics.ndcg_at_k(r, g, 5), nDCG @ 10: lambda r, g: metrics.ndcg_at_k(r, g, 10),
                P @ 5: lambda r, g: metrics.precision_at_k(r, g, 5), R @ 10: lambda r, g: metrics.recall_at_k(r, g, 10),
                RR: metrics.reciprocal_rank, AP: metrics.average_precision}
    assert agree_with_ir_measures(measures, qrels, run) == 6 * 40


def test_incomplete_judgment_metrics_by_hand():
    # judged: a=3, b=0, c=2, d=1; x unjudged. Condensed ranking: b, a, c.
    assert metrics.condensed_ndcg_at_k(RUN, QRELS, 2) == pytest.approx(metrics.ndcg_at_k(["b", "a"], QRELS, 2))
    assert metrics.condensed_ndcg_at_k(["x", "a", "c", "d"], QRELS, 3) == pytest.approx(1.0)
    # R = 3, N = 1: a has 1 non-relevant above (1 - 1/1), c too, d not retrieved.
    assert metrics.bpref(RUN, QRELS) == pytest.approx(0.0)
    assert metrics.bpref(["a", "x", "c", "b", "d"], QRELS) == pytest.approx((1 + 1 + 0) / 3)
    assert metrics.bpref(["a"], {"a": 2}) == 1.0 and metrics.bpref(["a"], {"a": 0}) == 0.0
    assert metrics.unjudged_at_k(RUN, QRELS, 3) == 1 and metrics.unjudged_at_k(RUN, QRELS, 2) == 0


def test_incomplete_judgment_metrics_agree_with_trec_eval():
    """bpref, condensed nDCG@10 and Judged@10 against ir_measures on sparse random judgments."""
    from ir_measures import Bpref, Judged, nDCG

    rng = random.Random(11)
    qrels, run = {}, {}
    for q in range(40):
        docs = [f"d{i}" for i in range(30)]
        judged = rng.sample(docs, rng.randint(2, 12))  # most of the ranking is unjudged
        grades = {d: rng.choice([0, 0, 1, 2, 3]) for d in judged}
        grades[judged[0]] = rng.randint(1, 3)
        if q % 5 == 0:
            grades = {d: max(g, 1) for d, g in grades.items()}  # no judged non-relevant: bpref's N = 0
        qrels[f"q{q}"] = grades
        run[f"q{q}"] = rng.sample(docs, k=rng.randint(8, 30))
    measures = {Bpref: metrics.bpref,
                nDCG(judged_only=True) @ 10: lambda r, g: metrics.condensed_ndcg_at_k(r, g, 10),
                Judged @ 10: lambda r, g: 1 - metrics.unjudged_at_k(r, g, 10) / min(len(r), 10)}  # of the rows shown
    assert agree_with_ir_measures(measures, qrels, run) == 3 * 40
