"""Offline evaluation: every system as a run, every run scored the same way.

The engine scores each request once (``build_tables``); weight variants,
ablations and tuning re-weight those stored factor scores through the
engine's own ``weighted_total`` and ``rank_order``, so a reported ranking is
exactly what ``match`` would return with those weights.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from pydantic import BaseModel, Field, computed_field

from matcher import feasibility
from matcher.engine import Engine
from matcher.evaluation import metrics
from matcher.evaluation.data import Qrels, Run
from matcher.evaluation.insample import InSample
from matcher.evaluation.stats import bootstrap_ci, paired_randomization_test
from matcher.factors import registry
from matcher.profiles import Profile
from matcher.ranking import rank_order, weighted_total
from matcher.schema import BuyerRequest

RANKING_METRICS = ("ndcg5", "ndcg10", "p5", "r10", "rr", "ap")
# For incomplete judgments: unjudged suppliers removed (condensed) or skipped (bpref), not counted as 0.
JUDGED_ONLY_METRICS = ("ndcg10_judged", "bpref")
SMALL_WORKSHOP_MAX_EMPLOYEES = 5


@dataclass
class RequestTable:
    """One request's factor scores over every supplier (index order = id order)."""

    request_id: str
    language: str
    buyer_type: str
    ids: list[str]
    factors: dict[str, np.ndarray]
    weights: dict[str, float]  # the engine's effective weights (profile + request overrides)
    eligible: np.ndarray
    filler: np.ndarray  # makes nothing of the requested family: ranked after the others (ScoredRequest.filler)
    infeasible: bool = False  # no offered supplier can meet quantity, lead time or price: answered "no match"


def build_tables(engine: Engine, requests: list[BuyerRequest], profile: Profile | None = None) -> list[RequestTable]:
    tables = []
    for request in requests:
        scores = engine.score(request, profile=profile)
        scores.complete()
        live = scores.index.live  # rows in id order: positions in a table are in id order
        tables.append(RequestTable(
            request_id=str(request.request_id),
            language=scores.language or "?",
            buyer_type=request.buyer_type or "other",
            ids=[str(i) for i in scores.index.ids_[live]],
            factors={k: v[live] for k, v in scores.factors.items()},
            weights=scores.weights,
            eligible=scores.eligible[live],
            filler=scores.filler[live],
            infeasible=bool(feasibility.check(scores)),
        ))
    return tables


def weighted_run(tables: list[RequestTable], name: str, weights: dict[str, float] | None = None,
                 gate: bool = True) -> Run:
    """Rank with ``weights`` (None: the engine's own) and, unless ``gate`` is off, must-haves first."""
    run = Run(name=name, rankings={})
    for t in tables:
        w = t.weights if weights is None else {f: float(weights.get(f, 0.0)) for f in registry.names()}
        total = weighted_total(t.factors, w, len(t.ids))
        eligible = t.eligible if gate else np.ones(len(t.ids), dtype=bool)
        filler = t.filler if gate else None
        order = rank_order(total, eligible, filler=filler)
        run.rankings[t.request_id] = [t.ids[i] for i in order]
        run.scores[t.request_id] = [float(total[i]) for i in order]
        offered = 0 if t.infeasible else int((eligible & ~t.filler).sum())
        run.n_matches[t.request_id] = offered if gate else int(eligible.sum())
    return run


@dataclass
class Context:
    """What a run is judged against."""

    qrels: Qrels
    tables: list[RequestTable]
    small: set[str]  # small workshops, whose exposure is reported apart
    twins: list[tuple[str, str]] = field(default_factory=list)
    no_match: set[str] = field(default_factory=set)
    shortlist_k: int = 10

    def ineligible(self, request_id: str) -> set[str]:
        return self._ineligible[request_id]

    @property
    def ineligible_ids(self) -> set[str]:
        """Requests whose eligibility this context knows."""
        return set(self._ineligible)

    @cached_property
    def _ineligible(self) -> dict[str, set[str]]:
        # Same for every run judged against this context: computed once, not once per run.
        return {t.request_id: {t.ids[i] for i in np.flatnonzero(~t.eligible)} for t in self.tables}

    @property
    def judged(self) -> list[RequestTable]:
        return [t for t in self.tables if any(g > 0 for g in self.qrels.get(t.request_id, {}).values())]


@dataclass
class SystemResult:
    name: str
    rows: list[dict]  # one per judged request
    summary: dict[str, float]
    ci: dict[str, tuple[float, float]]
    violations: int
    no_match_answered: int
    no_match_total: int
    stability: float | None  # mean top-10 overlap between twin requests
    coverage: float
    small_coverage: float
    gini: float
    exposure: dict[str, int]
    unjudged_top10: int = 0  # top-10 rows of judged requests with no judgment (standard metrics count them 0)
    top10_rows: int = 0
    twin_violations: int = 0  # suppliers offered for a request that miss a must-have its twin states

    @property
    def unjudged_share(self) -> float:
        return self.unjudged_top10 / self.top10_rows if self.top10_rows else 0.0

    def figures(self, per_request: bool = True) -> Figures:
        """The figures as a typed record (CLI --json and the API share it); exposure counts stay out."""
        return Figures(summary=self.summary, ci={k: list(v) for k, v in self.ci.items()}, violations=self.violations,
                       no_match_answered=self.no_match_answered, no_match_total=self.no_match_total,
                       stability=self.stability, coverage=self.coverage, small_coverage=self.small_coverage,
                       gini=self.gini, unjudged_top10=self.unjudged_top10, top10_rows=self.top10_rows,
                       twin_violations=self.twin_violations, per_request=self.rows if per_request else None)


class Figures(BaseModel):
    """One system's evaluation figures."""

    summary: dict[str, float]
    ci: dict[str, list[float]] = Field(description="95% bootstrap interval [low, high] of each mean")
    violations: int = Field(description="ineligible suppliers ranked above eligible ones (pairs)")
    no_match_answered: int
    no_match_total: int
    stability: float | None = Field(description="mean top-10 overlap between twin requests")
    coverage: float
    small_coverage: float
    gini: float
    unjudged_top10: int = Field(0, description="top-10 rows (of judged requests) without a judgment")
    top10_rows: int = 0
    twin_violations: int = Field(0, description="suppliers offered for a request that miss a must-have stated by its "
                                                "twin (the same need written another way)")
    per_request: list[dict[str, str | float]] | None = None

    @computed_field(description="share of those rows without a judgment")  # type: ignore[prop-decorator]
    @property
    def unjudged_share(self) -> float:
        return self.unjudged_top10 / self.top10_rows if self.top10_rows else 0.0


class EvaluationReport(Figures):
    """A profile's figures on the configured judgments (GET /api/v1/evaluation)."""

    profile: str
    model: str
    n_requests: int
    in_sample: InSample | None = Field(None, description="set when the profile was tuned on these judgments: "
                                       "the warning, with the held-out figure recorded at tuning beside it")
    judgments: dict[str, Any] = Field(default_factory=dict, description="what was read; judgments left out")


def evaluate_run(run: Run, ctx: Context, seed: int = 0) -> SystemResult:
    rows: list[dict[str, str | float]] = []
    values: dict[str, list[float]] = {m: [] for m in RANKING_METRICS + JUDGED_ONLY_METRICS}
    unjudged = top_rows = 0
    for t in ctx.judged:
        ranking, judged = run.rankings.get(t.request_id, []), ctx.qrels[t.request_id]
        scores = {
            "ndcg5": metrics.ndcg_at_k(ranking, judged, 5),
            "ndcg10": metrics.ndcg_at_k(ranking, judged, 10),
            "p5": metrics.precision_at_k(ranking, judged, 5),
            "r10": metrics.recall_at_k(ranking, judged, 10),
            "rr": metrics.reciprocal_rank(ranking, judged),
            "ap": metrics.average_precision(ranking, judged),
            "ndcg10_judged": metrics.condensed_ndcg_at_k(ranking, judged, 10),
            "bpref": metrics.bpref(ranking, judged),
        }
        unjudged += metrics.unjudged_at_k(ranking, judged, 10)
        top_rows += min(len(ranking), 10)
        for m, v in scores.items():
            values[m].append(v)
        rows.append({"request_id": t.request_id, "language": t.language, "buyer_type": t.buyer_type, **scores})
    summary = {m: float(np.mean(v)) if rows else 0.0 for m, v in values.items()}
    ci = {m: bootstrap_ci(v, seed=seed) for m, v in values.items()}
    violations = sum(metrics.ineligible_above_eligible(run.rankings.get(t.request_id, []),
                                                       ctx.ineligible(t.request_id)) for t in ctx.tables)
    pairs = [(a, b) for a, b in ctx.twins if a in run.rankings and b in run.rankings]
    k = ctx.shortlist_k
    overlaps = [metrics.overlap_at_k(_offered(run, a, k), _offered(run, b, k), k) for a, b in pairs]
    stability = float(np.mean(overlaps)) if overlaps else None
    # A twin states the same need another way (fields against prose): what one offers must meet the other's
    # must-haves too, as the engine reads them there.
    twin_violations = sum(len(set(_offered(run, x, k)) & ctx.ineligible(y)) for a, b in pairs
                          for x, y in ((a, b), (b, a)) if x in ctx.ineligible_ids and y in ctx.ineligible_ids)
    all_ids = ctx.tables[0].ids if ctx.tables else []
    shown = Counter(sid for t in ctx.tables for sid in _offered(run, t.request_id, ctx.shortlist_k))
    exposure = {sid: shown.get(sid, 0) for sid in all_ids}
    small = [exposure[s] for s in all_ids if s in ctx.small]
    return SystemResult(
        name=run.name, rows=rows, summary=summary, ci=ci, violations=violations,
        no_match_answered=sum(run.says_no_match(r) for r in ctx.no_match), no_match_total=len(ctx.no_match),
        stability=stability, coverage=metrics.coverage(list(exposure.values())),
        small_coverage=metrics.coverage(small), gini=metrics.gini(list(exposure.values())), exposure=exposure,
        unjudged_top10=unjudged, top10_rows=top_rows, twin_violations=twin_violations,
    )


def _offered(run: Run, request_id: str, k: int) -> list[str]:
    """The shortlist a buyer would see: at most k of the suppliers offered as matches."""
    ranking = run.rankings.get(request_id, [])
    return ranking[: min(k, run.n_matches.get(request_id, len(ranking)))]


@dataclass
class Comparison:
    metric: str
    mean_a: float
    mean_b: float
    diff: float
    diff_ci: tuple[float, float]
    p_value: float
    n: int


def compare(a: SystemResult, b: SystemResult, metric: str = "ndcg10", seed: int = 0) -> Comparison:
    """Paired comparison over the requests both systems were judged on."""
    rows_b = {r["request_id"]: r[metric] for r in b.rows}
    pairs = [(r[metric], rows_b[r["request_id"]]) for r in a.rows if r["request_id"] in rows_b]
    xa, xb = [p[0] for p in pairs], [p[1] for p in pairs]
    diffs = [x - y for x, y in pairs]
    return Comparison(metric, float(np.mean(xa)) if xa else 0.0, float(np.mean(xb)) if xb else 0.0,
                      float(np.mean(diffs)) if diffs else 0.0, bootstrap_ci(diffs, seed=seed),
                      paired_randomization_test(xa, xb, seed=seed), len(pairs))


def small_workshops(engine: Engine) -> set[str]:
    return {s.supplier_id for s in engine.store.suppliers()
            if s.employees is not None and s.employees <= SMALL_WORKSHOP_MAX_EMPLOYEES}


SENSITIVITY_SCALES = (0.0, 0.5, 1.0, 2.0, 4.0)


def sensitivity(ctx: Context, weights: dict[str, float], metric: str = "ndcg10",
                scales: tuple[float, ...] = SENSITIVITY_SCALES) -> dict[str, list[float]]:
    """Mean ``metric`` as each factor's weight alone is multiplied by each of ``scales``."""
    out = {}
    for f in registry.names():
        if weights.get(f, 0.0) <= 0:
            continue
        out[f] = [evaluate_run(weighted_run(ctx.tables, f"{f}x{s}", {**weights, f: weights[f] * s}), ctx)
                  .summary[metric] for s in scales]
    return out


def load_context(engine: Engine, requests: list[BuyerRequest], qrels: Qrels,
                 twins: list[tuple[str, str]] | None = None, no_match: set[str] | None = None,
                 profile: Profile | None = None) -> Context:
    """Everything runs are judged against; tables scored with ``profile`` (default: the engine's)."""
    return Context(qrels, build_tables(engine, requests, profile), small_workshops(engine), twins or [],
                   no_match or set())


def data_hash(engine: Engine, requests: list[BuyerRequest], qrels: Qrels) -> str:
    """Fingerprint of suppliers, requests and judgments, recorded in tuned profiles.

    Fields left at their defaults are left out, so a contract that gains an optional field does not
    change the fingerprint of data that does not use it."""
    parts = [s.model_dump_json(exclude_defaults=True)
             for s in sorted(engine.store.suppliers(), key=lambda s: s.supplier_id)]
    parts += [r.model_dump_json(exclude_defaults=True) for r in requests]
    parts += [f"{q}\t{s}\t{g}" for q in sorted(qrels) for s, g in sorted(qrels[q].items())]
    return "sha256:" + hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]
