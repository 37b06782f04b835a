"""Cross-validation of the weight search: grouped folds, repeated over fold seeds, and the rule
that decides whether a tuned profile may be called better than the profile it started from.

Twin requests (the same brief in two languages, graded identically) are one *group*: a fold holds
all of a group or none of it, so no request is scored by weights that saw its twin's judgments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from matcher.evaluation.data import Qrels, Run
from matcher.evaluation.runs import RequestTable, weighted_run

BETTER, WORSE, WITHIN = "better", "worse", "within the fold-seed spread"
VERDICT_RULE = ("a tuned profile is 'better' only when its mean held-out nDCG@10 gain over the base profile "
                "(same requests) exceeds the spread (max - min) of held-out nDCG@10 across the repetitions, "
                "'worse' when the loss exceeds it, otherwise 'within the fold-seed spread'; "
                "fewer than 2 repetitions give no verdict")


def kfold(ids: list[str], k: int, seed: int = 0, groups: dict[str, int] | None = None) -> list[list[str]]:
    """``ids`` (sorted first, so input order does not matter) in ``k`` shuffled folds.

    With ``groups`` (id -> group number, e.g. :func:`judgments.twin_groups`) the folds are
    scikit-learn's GroupKFold with shuffling: a group is never split across folds. Without,
    plain KFold (every id its own group).
    """
    from sklearn.model_selection import GroupKFold, KFold

    ordered = sorted(ids)
    if groups is None:
        splits = KFold(n_splits=k, shuffle=True, random_state=seed).split(ordered)
    else:
        labels = [groups.get(i, -1 - n) for n, i in enumerate(ordered)]  # unknown ids: groups of their own
        if len(set(labels)) < k:
            from matcher.errors import InputError

            raise InputError(f"{k} folds need at least {k} request groups (got {len(set(labels))})")
        splits = GroupKFold(n_splits=k, shuffle=True, random_state=seed).split(ordered, groups=labels)
    return [sorted(ordered[i] for i in test) for _, test in splits]


@dataclass
class FoldResult:
    fold: int
    test_ids: list[str]
    weights: dict[str, float]


@dataclass
class CrossValidation:
    tuned: Run  # every request ranked by the weights of the fold that held it out
    learned: Run | None
    folds: list[FoldResult] = field(default_factory=list)


Search = Callable[[list[RequestTable]], dict[str, float]]
Learner = Callable[[list[RequestTable], list[RequestTable]], Run]


def cross_validate(tables: list[RequestTable], search: Search, k: int = 5, seed: int = 0,
                   groups: dict[str, int] | None = None, learner: Learner | None = None) -> CrossValidation:
    """Fit ``search`` on k-1 folds, rank the held-out fold with what it found; every fold once.

    Unjudged requests (no-match ones) are spread over the folds too, so that every request, and
    every shortlist in the exposure figures, is ranked held-out.
    """
    folds = kfold([t.request_id for t in tables], k, seed, groups)
    cv = CrossValidation(tuned=Run("tuned (held-out)", {}),
                         learned=Run("learned ranker (held-out)", {}) if learner else None)
    for number, test_ids in enumerate(folds, start=1):
        held = set(test_ids)
        train = [t for t in tables if t.request_id not in held]
        test = [t for t in tables if t.request_id in held]
        weights = search(train)
        cv.folds.append(FoldResult(number, test_ids, weights))
        _merge(cv.tuned, weighted_run(test, "", weights))
        if cv.learned is not None and learner is not None:
            _merge(cv.learned, learner(train, test))
    return cv


def _merge(into: Run, part: Run) -> None:
    into.rankings.update(part.rankings)
    into.scores.update(part.scores)
    into.n_matches.update(part.n_matches)


@dataclass
class RepeatedCV:
    """Held-out nDCG@10 of the search over several fold seeds, beside the base profile.

    The base profile is fitted on nothing, so its nDCG@10 on the same requests is one number.
    ``verdict`` applies :data:`VERDICT_RULE`.
    """

    folds: int
    seeds: list[int]
    grouped: bool
    held_out: list[float]  # mean held-out nDCG@10 of each repetition, in seed order
    base: float
    n_requests: int

    @property
    def mean(self) -> float:
        return float(np.mean(self.held_out))

    @property
    def std(self) -> float:
        return float(np.std(self.held_out, ddof=1)) if len(self.held_out) > 1 else 0.0

    @property
    def spread(self) -> float:
        return max(self.held_out) - min(self.held_out)

    @property
    def gain(self) -> float:
        return self.mean - self.base

    @property
    def verdict(self) -> str:
        if len(self.held_out) < 2:
            return "no verdict (one repetition)"
        return BETTER if self.gain > self.spread else WORSE if -self.gain > self.spread else WITHIN

    def to_json(self) -> dict[str, object]:
        r4 = lambda x: round(float(x), 4)  # noqa: E731
        return {"folds": self.folds, "grouped_by_twins": self.grouped, "fold_seeds": self.seeds,
                "n_requests": self.n_requests, "ndcg10_per_repetition": [r4(x) for x in self.held_out],
                "ndcg10_mean": r4(self.mean), "ndcg10_std": r4(self.std), "ndcg10_min": r4(min(self.held_out)),
                "ndcg10_max": r4(max(self.held_out)), "base_ndcg10_same_requests": r4(self.base),
                "gain": r4(self.gain), "spread": r4(self.spread), "verdict": self.verdict, "rule": VERDICT_RULE}

    def describe(self) -> str:
        return (f"held-out nDCG@10 over {len(self.seeds)} repetitions of "
                f"{'twin-grouped ' if self.grouped else ''}{self.folds}-fold CV: mean {self.mean:.3f}, "
                f"sd {self.std:.3f}, range {min(self.held_out):.3f}-{max(self.held_out):.3f}; base {self.base:.3f} "
                f"on the same {self.n_requests} requests; gain {self.gain:+.3f} vs spread {self.spread:.3f}: "
                f"{self.verdict}")


def repeated_cv(score: Callable[[Run], float], tables: list[RequestTable], search: Search, base: float,
                k: int, seeds: list[int], groups: dict[str, int] | None,
                n_requests: int) -> tuple[RepeatedCV, list[CrossValidation]]:
    """:func:`cross_validate` once per fold seed; ``score`` turns a held-out run into nDCG@10."""
    runs = [cross_validate(tables, search, k, s, groups) for s in seeds]
    return RepeatedCV(k, list(seeds), groups is not None, [score(cv.tuned) for cv in runs], base, n_requests), runs


def qrels_ids(qrels: Qrels) -> list[str]:
    """Requests with at least one positive grade (the ones nDCG is defined on)."""
    return sorted(rid for rid, grades in qrels.items() if any(g > 0 for g in grades.values()))
