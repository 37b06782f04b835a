"""Ranking metrics, one public function each, for one query at a time.

``ranking`` is the list of supplier ids, best first; ``qrels`` maps supplier
id -> graded relevance (0-3); ids missing from ``qrels`` count as 0.
A supplier is *relevant* for binary metrics when its grade is >= ``min_grade``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg_at_k(ranking: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """DCG@k = sum_{i=1..k} (2^rel_i - 1) / log2(i + 1)  (exponential gain, as trec_eval's ndcg)."""
    return sum((2 ** qrels.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranking[:k]))


def ndcg_at_k(ranking: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """nDCG@k = DCG@k / IDCG@k, IDCG from the grades sorted descending; 0 when no grade > 0."""
    ideal = sorted((g for g in qrels.values() if g > 0), reverse=True)
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal[:k]))
    return dcg_at_k(ranking, qrels, k) / idcg if idcg > 0 else 0.0


def precision_at_k(ranking: Sequence[str], qrels: Mapping[str, int], k: int, min_grade: int = 1) -> float:
    """P@k = |relevant in top k| / k."""
    return sum(qrels.get(doc, 0) >= min_grade for doc in ranking[:k]) / k


def recall_at_k(ranking: Sequence[str], qrels: Mapping[str, int], k: int, min_grade: int = 1) -> float:
    """R@k = |relevant in top k| / |relevant|; 0 when nothing is relevant."""
    total = sum(g >= min_grade for g in qrels.values())
    hits = sum(qrels.get(doc, 0) >= min_grade for doc in ranking[:k])
    return hits / total if total else 0.0


def reciprocal_rank(ranking: Sequence[str], qrels: Mapping[str, int], min_grade: int = 1) -> float:
    """RR = 1 / rank of the first relevant supplier; 0 if none is retrieved."""
    for i, doc in enumerate(ranking):
        if qrels.get(doc, 0) >= min_grade:
            return 1.0 / (i + 1)
    return 0.0


def average_precision(ranking: Sequence[str], qrels: Mapping[str, int], min_grade: int = 1) -> float:
    """AP = (1 / |relevant|) * sum over relevant ranks r of P@r; 0 when nothing is relevant."""
    total = sum(g >= min_grade for g in qrels.values())
    if not total:
        return 0.0
    hits, score = 0, 0.0
    for i, doc in enumerate(ranking):
        if qrels.get(doc, 0) >= min_grade:
            hits += 1
            score += hits / (i + 1)
    return score / total
