"""From a fair definition and the engine's scores to a plan: meetings, tables, reasons, statistics."""

from __future__ import annotations

import hashlib
import math
from statistics import median

import numpy as np

from matcher import i18n, vocab
from matcher.engine import Engine
from matcher.errors import FieldProblem, NotFoundError, RecordError
from matcher.explain import build_match
from matcher.fair.definition import FairDefinition, wish_problems
from matcher.fair.model import BaselineReport, Meeting, Plan, PlanStats, SolverReport, Spread
from matcher.fair.planner import Result, gap, solve
from matcher.fair.problem import WISHES, Pair, Problem, make_problem
from matcher.fair.summary import status_text
from matcher.fair.timetable import SHORTFALL_PENALTY, Schedule
from matcher.schema import BuyerRequest

PLANNER_VERSION = "2"  # enters the plan id: a new planner gives new ids for the same input
SOLVER = "OR-Tools CP-SAT and min-cost flow"
AGENDA_LANGUAGES = ("fr", "ar", "en")  # a supplier's documents: the first of these its sheet lists


def score_matrix(engine: Engine, fair: FairDefinition, file: str) -> tuple[np.ndarray, np.ndarray, dict]:
    """(score, eligible) per buyer x supplier, and each buyer's scored request; unknown ids name the field."""
    store = engine.store
    problems: list[FieldProblem] = []
    requests = {}
    for i, b in enumerate(fair.buyers):
        try:
            requests[b.request_id] = store.get_request(b.request_id)
        except NotFoundError:
            problems.append(FieldProblem(f"buyers.{i}.request_id", f"no stored request '{b.request_id}'", None, file))
    index = engine.index()
    found = index.positions([s.supplier_id for s in fair.suppliers])
    position = {s.supplier_id: int(p) for s, p in zip(fair.suppliers, found, strict=True) if p >= 0}
    for i, s in enumerate(fair.suppliers):
        if s.supplier_id not in position:
            problems.append(FieldProblem(f"suppliers.{i}.supplier_id", f"no stored supplier '{s.supplier_id}'",
                                         None, file))
    problems += wish_problems(fair, file)
    if problems:
        raise RecordError(problems)
    cols = np.array([position[s.supplier_id] for s in fair.suppliers])
    context = {b.request_id: engine.score(requests[b.request_id]) for b in fair.buyers}
    score = np.array([context[b.request_id].total[cols] for b in fair.buyers], dtype=float)
    eligible = np.array([context[b.request_id].eligible[cols] for b in fair.buyers], dtype=bool)
    return score, eligible, context


def input_hash(fair: FairDefinition, score: np.ndarray, eligible: np.ndarray, time_limit: float, seed: int) -> str:
    """sha256 of everything a plan is made from, so the same input always gets the same plan id.

    It covers the planner version, the definition (as validated JSON), the buyer x supplier scores
    (to 1e-9) and eligibility the engine gave, the time limit and the seed. The time the solve took
    and the moment it ran do not enter.
    """
    digest = hashlib.sha256()
    for part in (PLANNER_VERSION, fair.model_dump_json(), f"{time_limit!r}", f"{seed}"):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(np.round(score, 9).astype("<f8").tobytes())
    digest.update(eligible.astype(np.uint8).tobytes())
    return digest.hexdigest()


def _tables(problem: Problem, placed: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Table per meeting; a supplier keeps its table from slot to slot when it is free."""
    last: dict[int, int] = {}
    out = {}
    for t in sorted({t for _, t in placed}):
        here = sorted((p for p, tt in placed if tt == t), key=lambda p: int(problem.pair_s[p]))
        free = set(range(1, problem.fair.tables + 1))
        waiting = []
        for p in here:  # first, suppliers whose usual table is still free
            s = int(problem.pair_s[p])
            if last.get(s) in free:
                free.discard(last[s])
                out[p, t] = last[s]
            else:
                waiting.append(p)
        for p in waiting:
            last[int(problem.pair_s[p])] = out[p, t] = min(free)
            free.discard(out[p, t])
    return out


def _why(context: dict, rid: str, i: int, pair: Pair) -> str:
    """One line for the agenda (supplier at index position ``i``), in the buyer's language."""
    scored = context[rid]
    match = build_match(scored, 0, i)
    wish = [i18n.msg(scored.language, f"wish.{pair.wish}")] if pair.wish else []
    # Reasons open with must-have confirmations; the "why meet" line wants what follows.
    return "; ".join(wish + [r.text for r in match.reasons[len(match.must_haves):][:2]])


def supplier_language(languages: list[str]) -> str:
    """The language of a supplier's documents: the first of its sheet's languages among
    ``AGENDA_LANGUAGES``, else the first shipped one it lists, else English."""
    for code in (*[c for c in languages if c in AGENDA_LANGUAGES], *[c for c in languages if c in i18n.locales()]):
        return code
    return i18n.DEFAULT_LOCALE


def _why_supplier(request: BuyerRequest, pair: Pair, lang: str) -> str:
    """One line for the supplier's agenda, in its language: the wish, and what the buyer looks for
    (product names through the vocabulary's labels; a name it does not know stays as written)."""
    products_vocab = vocab.load("products")
    products = i18n.text(lang, "format.list_separator").join(
        products_vocab.label(c, lang) for c in products_vocab.canonicalize(request.products))
    wish = [i18n.msg(lang, f"wish.{pair.wish}")] if pair.wish else []
    looks = (i18n.msg(lang, "fair.why_supplier", products=products, quantity=request.quantity) if request.quantity
             else i18n.msg(lang, "fair.why_supplier_any", products=products)) if products else ""
    return "; ".join(wish + ([looks] if looks else []))


def statistics(problem: Problem, schedule: Schedule) -> PlanStats:
    pairs = np.array([p for p, _ in schedule.placed], dtype=np.int64)
    per_b = np.bincount(problem.pair_b[pairs], minlength=len(problem.buyers))
    per_s = np.bincount(problem.pair_s[pairs], minlength=len(problem.suppliers))
    mutual = problem.wish == WISHES.index("mutual")
    return PlanStats(
        meetings=len(pairs), total_value=round(schedule.value, 3),
        meetings_per_supplier=Spread(min=int(per_s.min()), median=float(median(per_s)), max=int(per_s.max())),
        meetings_per_buyer=Spread(min=int(per_b.min()), median=float(median(per_b)), max=int(per_b.max())),
        suppliers_below_target=round(float((per_s < problem.supplier_target).mean()), 4),
        buyers_below_target=round(float((per_b < problem.buyer_target).mean()), 4),
        meetings_short_of_targets=schedule.shortfall, buyer_shortfall=schedule.buyer_shortfall,
        supplier_shortfall=schedule.supplier_shortfall, suppliers_without_meeting=int((per_s == 0).sum()),
        buyers_without_meeting=int((per_b == 0).sum()),
        mutual_wishes_met=f"{int(mutual[pairs].sum())}/{int(mutual.sum())}")


def report(problem: Problem, result: Result, time_limit: float, seed: int) -> SolverReport:
    """The solver report; every word in it is what ``result`` proves."""
    plan, base, bound = result.plan, result.greedy, result.bound
    up = math.ceil(bound.value * 1000) / 1000  # shown rounded up, so it is still a bound
    text = status_text(result.status, result.tolerance, gap(plan.objective, bound.value), up, bound.covers,
                       plan is not result.optimised)
    return SolverReport(
        solver=SOLVER, method=result.optimised.method,
        returned="optimised" if plan is result.optimised else "greedy", status=result.status, status_text=text,
        seconds=round(result.seconds, 2), time_limit=time_limit, seed=seed, stopped=result.stopped,
        objective=round(plan.objective, 3),
        value=round(plan.value, 3), shortfall=plan.shortfall, buyer_shortfall=plan.buyer_shortfall,
        supplier_shortfall=plan.supplier_shortfall, shortfall_penalty=SHORTFALL_PENALTY, bound=up,
        bound_method=bound.method, bound_covers=bound.covers, gap=round(gap(plan.objective, bound.value), 5),
        tolerance=result.tolerance, pairs=problem.n_pairs, candidate_pairs=int(problem.candidate.sum()),
        greedy=BaselineReport(**statistics(problem, base).model_dump(), seconds=round(base.seconds, 2),
                              objective=round(base.objective, 3),
                              value=round(base.value, 3), shortfall=base.shortfall,
                              gap=round(gap(base.objective, bound.value), 5)))


def plan_fair(engine: Engine, fair: FairDefinition, time_limit: float = 60.0, seed: int = 0,
              file: str = "fair definition") -> Plan:
    score, eligible, context = score_matrix(engine, fair, file)
    problem = make_problem(fair, score, eligible, file)
    result = solve(problem, time_limit, seed)
    schedule = result.plan
    tables = _tables(problem, schedule.placed)
    index = engine.index()  # already built for scoring
    position = {sid: int(p) for sid, p in zip(problem.suppliers, index.positions(problem.suppliers), strict=True)}
    records = engine.store.get_suppliers(list(problem.suppliers))
    names = {sid: s.name for sid, s in records.items()}
    languages = {sid: supplier_language(s.languages) for sid, s in records.items()}
    meetings = []
    for n, (p, t) in enumerate(schedule.placed, start=1):
        pair, slot = problem.pair(p), problem.slots[t]
        rid, sid = problem.buyers[pair.b], problem.suppliers[pair.s]
        meetings.append(Meeting(
            meeting_id=f"M{n:04d}", request_id=rid, buyer_name=context[rid].request.buyer_name, supplier_id=sid,
            supplier_name=names[sid], slot=t, start=slot.start.isoformat(timespec="minutes"),
            end=slot.end.isoformat(timespec="minutes"), table=tables[p, t], value=round(pair.value, 4),
            score=round(pair.score, 4), eligible=pair.eligible, wish=pair.wish, must=pair.must,
            why=_why(context, rid, position[sid], pair), buyer_language=i18n.locale_for(context[rid].language),
            supplier_language=languages[sid], supplier_why=_why_supplier(context[rid].request, pair, languages[sid])))
    return Plan(fair=fair.name, meetings=meetings, stats=statistics(problem, schedule).model_dump(),
                solver=report(problem, result, time_limit, seed).model_dump(),
                notes=[n.text("en") for n in problem.notes], note_messages=problem.notes,
                input_hash=input_hash(fair, score, eligible, time_limit, seed))
