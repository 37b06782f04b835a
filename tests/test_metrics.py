import math

import pytest

from matcher import metrics

QRELS = {"a": 3, "b": 0, "c": 2, "d": 1}
RUN = ["b", "a", "x", "c"]


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
