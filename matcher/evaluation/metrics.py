"""Ranking metrics, one public function each, for one query at a time.

``ranking`` is the list of supplier ids, best first; ``qrels`` maps supplier
id -> graded relevance (0-3); ids missing from ``qrels`` count as 0.
A supplier is *relevant* for binary metrics when its grade is >= ``min_grade``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg_at_k(ranking: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """DCG@k = sum_{i=1..k} (2^rel_i - 1) / log2(i + 1).

    Exponential gain (Burges et al. 2005): a 3 is worth much more than a 2. trec_eval's
    linear-gain ndcg_cut on relevance 2^rel - 1 gives the same number (the tests check it).
    """
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


def ineligible_above_eligible(ranking: Sequence[str], ineligible: set[str]) -> int:
    """Violations = |{(i, e) : i ineligible, e eligible, rank(i) < rank(e)}| over the ranking.

    A supplier that misses a buyer's must-have ranked above one that meets them all is a
    broken promise; the full system must score 0.
    """
    seen_ineligible, violations = 0, 0
    for doc in ranking:
        if doc in ineligible:
            seen_ineligible += 1
        else:
            violations += seen_ineligible
    return violations


def overlap_at_k(a: Sequence[str], b: Sequence[str], k: int) -> float:
    """Overlap@k = |top_k(a) ∩ top_k(b)| / max(|top_k(a)|, |top_k(b)|); 1 when both are empty.

    1 means the same suppliers in any order; short lists (few eligible) are not penalised.
    """
    top_a, top_b = set(a[:k]), set(b[:k])
    longest = max(len(top_a), len(top_b))
    return len(top_a & top_b) / longest if longest else 1.0


def coverage(counts: Sequence[int]) -> float:
    """Coverage = |{s : count_s > 0}| / |S|: share of suppliers shown at least once."""
    return sum(c > 0 for c in counts) / len(counts) if len(counts) else 0.0


def gini(counts: Sequence[int]) -> float:
    """Gini = sum_i (2i - n - 1) x_(i) / (n * sum x), x sorted ascending, i = 1..n.

    0 when every supplier appears equally often, (n-1)/n when one takes every appearance.
    """
    xs = sorted(float(c) for c in counts)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    return sum((2 * i - n - 1) * x for i, x in enumerate(xs, start=1)) / (n * total)


def condensed_ndcg_at_k(ranking: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """Condensed nDCG@k (Sakai 2007): nDCG@k of the ranking with every unjudged supplier removed.

    ranking' = [d in ranking if d in qrels]; condensed nDCG@k = nDCG@k(ranking', qrels).
    Unlike standard nDCG@k, an unjudged supplier neither earns nor blocks gain: the figure
    says how well the *judged* suppliers are ordered (ir_measures: ``nDCG(judged_only=True)@k``).
    """
    return ndcg_at_k([doc for doc in ranking if doc in qrels], qrels, k)


def bpref(ranking: Sequence[str], qrels: Mapping[str, int], min_grade: int = 1) -> float:
    """bpref (Buckley & Voorhees 2004), as trec_eval computes it.

    R = judged relevant (grade >= ``min_grade``), N = judged non-relevant; unjudged suppliers
    are skipped. For each relevant r retrieved, n_r = judged non-relevant ranked above r:
    bpref = (1 / R) * sum_r (1 - min(n_r, R) / min(R, N)), a term being 1 when n_r = 0.
    0 when R = 0.
    """
    relevant = sum(g >= min_grade for g in qrels.values())
    nonrelevant = len(qrels) - relevant
    if not relevant:
        return 0.0
    score, above = 0.0, 0
    for doc in ranking:
        if doc not in qrels:
            continue
        if qrels[doc] >= min_grade:
            score += 1.0 - min(above, relevant) / min(relevant, nonrelevant) if above else 1.0
        else:
            above += 1
    return score / relevant


def unjudged_at_k(ranking: Sequence[str], qrels: Mapping[str, int], k: int) -> int:
    """Unjudged@k = |{d in top_k(ranking) : d not in qrels}|: rows standard metrics count as grade 0."""
    return sum(doc not in qrels for doc in ranking[:k])
