"""From a fair definition and the engine's scores to a plan: meetings, tables, reasons, statistics."""

from __future__ import annotations

from statistics import median
from typing import Any

import numpy as np

from matcher import i18n
from matcher.engine import Engine
from matcher.errors import FieldProblem, NotFoundError, RecordError
from matcher.explain import build_match
from matcher.fair.definition import FairDefinition, available, slots
from matcher.fair.model import Meeting, Plan
from matcher.fair.planner import SHORTFALL_PENALTY, Pair, Problem, Schedule, solve

WISH_BONUS = 0.25  # per side that asked; a mutual wish gets a third bonus on top
FAIR_SUPPLIER_CANDIDATES = 3  # each supplier keeps its best buyers as candidates, so nobody is cut out


def build_problem(engine: Engine, fair: FairDefinition, file: str = "fair definition") -> tuple[Problem, dict]:
    """Score every attending pair with the engine and apply wishes; input errors name the field."""
    all_slots = slots(fair)
    store = engine.store
    problems: list[FieldProblem] = []
    requests = {}
    for i, b in enumerate(fair.buyers):
        try:
            requests[b.request_id] = store.get_request(b.request_id)
        except NotFoundError:
            problems.append(FieldProblem(f"buyers.{i}.request_id", f"no stored request '{b.request_id}'", None, file))
    index = engine.index()
    position = {sid: i for i, sid in enumerate(index.ids_)}
    for i, s in enumerate(fair.suppliers):
        if s.supplier_id not in position:
            problems.append(FieldProblem(f"suppliers.{i}.supplier_id", f"no stored supplier '{s.supplier_id}'",
                                         None, file))
    buyer_ids = [b.request_id for b in fair.buyers]
    supplier_ids = [s.supplier_id for s in fair.suppliers]
    for kind, people, known in (("buyers", fair.buyers, set(supplier_ids)), ("suppliers", fair.suppliers,
                                                                            set(buyer_ids))):
        for i, person in enumerate(people):
            for wish in ("must_meet", "would_like", "do_not_meet"):
                for other in getattr(person, wish):
                    if other not in known:
                        problems.append(FieldProblem(f"{kind}.{i}.{wish}", f"'{other}' does not attend this fair",
                                                     None, file))
    if problems:
        raise RecordError(problems)

    cols = np.array([position[s] for s in supplier_ids])
    scores, eligible, context = [], [], {}
    for rid in buyer_ids:
        sc = engine.score(requests[rid])
        scores.append(sc.total[cols])
        eligible.append(sc.eligible[cols])
        context[rid] = sc
    score_m, elig_m = np.array(scores), np.array(eligible)
    n_b, n_s = len(buyer_ids), len(supplier_ids)
    wants_b, wants_s = np.zeros((n_b, n_s), bool), np.zeros((n_b, n_s), bool)
    must, banned = np.zeros((n_b, n_s), bool), np.zeros((n_b, n_s), bool)
    b_pos, s_pos = {r: i for i, r in enumerate(buyer_ids)}, {s: i for i, s in enumerate(supplier_ids)}
    for i, b in enumerate(fair.buyers):
        for sid in b.must_meet + b.would_like:
            wants_b[i, s_pos[sid]] = True
        for sid in b.must_meet:
            must[i, s_pos[sid]] = True
        for sid in b.do_not_meet:
            banned[i, s_pos[sid]] = True
    for j, s in enumerate(fair.suppliers):
        for rid in s.must_meet + s.would_like:
            wants_s[b_pos[rid], j] = True
        for rid in s.must_meet:
            must[b_pos[rid], j] = True
        for rid in s.do_not_meet:
            banned[b_pos[rid], j] = True
    mutual = wants_b & wants_s
    value = score_m + WISH_BONUS * (wants_b.astype(float) + wants_s + mutual)
    allowed = ~banned & (elig_m | mutual) & (score_m > 0)

    b_avail = np.array([available(b, all_slots) for b in fair.buyers])
    s_avail = np.array([available(s, all_slots) for s in fair.suppliers])
    lim = fair.limits
    b_cap = np.minimum([b.max_meetings if b.max_meetings is not None else lim.max_meetings_per_buyer
                        for b in fair.buyers], b_avail.sum(axis=1))
    s_cap = np.minimum([s.max_meetings if s.max_meetings is not None else lim.max_meetings_per_supplier
                        for s in fair.suppliers], s_avail.sum(axis=1))
    _check_musts(fair, file, must, banned, elig_m, mutual, b_avail, s_avail, b_cap, s_cap, buyer_ids, supplier_ids)

    keep = must.copy() | (allowed & (wants_b | wants_s))
    ranked = np.where(allowed, value, -np.inf)
    # Each buyer's best candidates, and each supplier's, so small workshops stay in reach;
    # stable sorts break ties by position, i.e. by the order of the fair file.
    best_s = np.argsort(-ranked, axis=1, kind="stable")[:, : fair.candidates_per_buyer]
    keep[np.arange(n_b)[:, None], best_s] |= np.take_along_axis(allowed, best_s, axis=1)
    best_b = np.argsort(-ranked, axis=0, kind="stable")[:FAIR_SUPPLIER_CANDIDATES]
    keep[best_b, np.arange(n_s)[None, :]] |= np.take_along_axis(allowed, best_b, axis=0)
    keep &= (b_avail.astype(int) @ s_avail.T.astype(int)) > 0  # they share a free slot
    pairs = [Pair(int(i), int(j), float(value[i, j]), float(score_m[i, j]), bool(elig_m[i, j]),
                  "mutual" if mutual[i, j] else "buyer" if wants_b[i, j] else "supplier" if wants_s[i, j] else "",
                  bool(must[i, j])) for i, j in zip(*np.nonzero(keep), strict=True)]

    n_candidates = np.bincount([p.s for p in pairs], minlength=n_s)
    wanted = np.array([s.min_meetings if s.min_meetings is not None else lim.min_meetings_per_supplier
                       for s in fair.suppliers])
    target = np.minimum(wanted, np.minimum(s_cap, n_candidates))
    notes = [f"{supplier_ids[j]}: target lowered from {wanted[j]} to {target[j]} ("
             + (f"only {s_avail[j].sum()} slot(s) free" if s_cap[j] < wanted[j]
                else f"only {n_candidates[j]} compatible buyer(s)") + ")"
             for j in range(n_s) if target[j] < wanted[j]]
    problem = Problem(fair, all_slots, buyer_ids, supplier_ids, b_avail, s_avail, b_cap, s_cap, target, pairs, notes)
    return problem, context


def _check_musts(fair: FairDefinition, file: str, must: np.ndarray, banned: np.ndarray, elig: np.ndarray,
                 mutual: np.ndarray, b_avail: np.ndarray, s_avail: np.ndarray, b_cap: np.ndarray,
                 s_cap: np.ndarray, buyer_ids: list[str], supplier_ids: list[str]) -> None:
    """Must-meets that cannot happen, explained before any solver runs."""
    out = []
    for i, j in zip(*np.nonzero(must), strict=True):
        pair = f"{buyer_ids[i]} and {supplier_ids[j]}"
        if banned[i, j]:
            out.append(f"{pair}: one side must meet the other, which asked not to meet")
        elif not elig[i, j] and not mutual[i, j]:
            out.append(f"{pair}: the supplier misses a must-have of the request; only a wish from both sides "
                       "schedules an ineligible pair")
        elif not (b_avail[i] & s_avail[j]).any():
            out.append(f"{pair}: no slot when both are available")
    for i, n in enumerate(must.sum(axis=1)):
        if n > b_cap[i]:
            out.append(f"{buyer_ids[i]}: {n} must-meet meetings but at most {b_cap[i]} possible")
    for j, n in enumerate(must.sum(axis=0)):
        if n > s_cap[j]:
            out.append(f"{supplier_ids[j]}: {n} must-meet meetings but at most {s_cap[j]} possible")
    if out:
        raise RecordError([FieldProblem("must_meet", message, None, file) for message in out])


def _tables(problem: Problem, placed: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Table per meeting; a supplier keeps its table from slot to slot when it is free."""
    last: dict[int, int] = {}
    out = {}
    for t in sorted({t for _, t in placed}):
        here = sorted((p for p, tt in placed if tt == t), key=lambda p: problem.pairs[p].s)
        free = set(range(1, problem.fair.tables + 1))
        waiting = []
        for p in here:  # first, suppliers whose usual table is still free
            s = problem.pairs[p].s
            if last.get(s) in free:
                free.discard(last[s])
                out[p, t] = last[s]
            else:
                waiting.append(p)
        for p in waiting:
            last[problem.pairs[p].s] = out[p, t] = min(free)
            free.discard(out[p, t])
    return out


def _why(context: dict, rid: str, i: int, pair: Pair) -> str:
    """One line for the agenda (supplier at index position ``i``), in the buyer's language."""
    scored = context[rid]
    match = build_match(scored, 0, i)
    wish = [i18n.msg(scored.language, f"wish.{pair.wish}")] if pair.wish else []
    # Reasons open with must-have confirmations; the "why meet" line wants what follows.
    return "; ".join(wish + [r.text for r in match.reasons[len(match.must_haves):][:2]])


def plan_fair(engine: Engine, fair: FairDefinition, time_limit: float = 60.0, seed: int = 0,
              file: str = "fair definition") -> Plan:
    problem, context = build_problem(engine, fair, file)
    schedule, baseline = solve(problem, time_limit, seed)
    tables = _tables(problem, schedule.placed)
    index = engine.index()  # already built for scoring
    position = {sid: i for i, sid in enumerate(index.ids_)}
    meetings = []
    for n, (p, t) in enumerate(schedule.placed, start=1):
        pair, slot = problem.pairs[p], problem.slots[t]
        rid, sid = problem.buyers[pair.b], problem.suppliers[pair.s]
        meetings.append(Meeting(
            meeting_id=f"M{n:04d}", request_id=rid, buyer_name=context[rid].request.buyer_name, supplier_id=sid,
            supplier_name=index.suppliers_[position[sid]].name, slot=t, start=slot.start.isoformat(timespec="minutes"),
            end=slot.end.isoformat(timespec="minutes"), table=tables[p, t], value=round(pair.value, 4),
            score=round(pair.score, 4), eligible=pair.eligible, wish=pair.wish, must=pair.must,
            why=_why(context, rid, position[sid], pair)))
    return Plan(fair=fair.name, meetings=meetings, stats=statistics(problem, schedule), solver={
        "solver": "OR-Tools CP-SAT, two stages (choose meetings, then place them)",
        "status": schedule.status, "seconds": round(schedule.seconds, 2), "time_limit": time_limit, "seed": seed,
        "objective": round(schedule.objective, 3), "bound": round(schedule.bound or 0.0, 3),
        "gap": round(gap(schedule), 5), "shortfall_penalty": SHORTFALL_PENALTY,
        "greedy": {"objective": round(baseline.objective, 3), "value": round(baseline.value, 3),
                   "meetings": len(baseline.placed), "shortfall": baseline.shortfall,
                   "gap": round(gap(baseline, schedule.bound), 5), **statistics(problem, baseline)},
    }, notes=problem.notes)


def gap(schedule: Schedule, bound: float | None = None) -> float:
    """(bound - objective) / |bound|; 0 means proven optimal.

    The solver works on values rounded to 1/1000 per meeting, so a difference within that
    rounding counts as 0.
    """
    b = schedule.bound if bound is None else bound
    if not b:
        return 0.0
    tolerance = 0.0005 * len(schedule.placed)
    return max(b - schedule.objective - tolerance, 0.0) / abs(b)


def statistics(problem: Problem, schedule: Schedule) -> dict[str, Any]:
    per_s = np.zeros(len(problem.suppliers), dtype=int)
    per_b = np.zeros(len(problem.buyers), dtype=int)
    for p, _ in schedule.placed:
        per_s[problem.pairs[p].s] += 1
        per_b[problem.pairs[p].b] += 1
    mutual = [p for p, pair in enumerate(problem.pairs) if pair.wish == "mutual"]
    met = {p for p, _ in schedule.placed}
    wanted = np.array([s.min_meetings if s.min_meetings is not None else problem.fair.limits.min_meetings_per_supplier
                       for s in problem.fair.suppliers])
    return {
        "meetings": len(schedule.placed),
        "total_value": round(schedule.value, 3),
        "meetings_per_supplier": {"min": int(per_s.min()), "median": float(median(per_s)), "max": int(per_s.max())},
        "meetings_per_buyer": {"min": int(per_b.min()), "median": float(median(per_b)), "max": int(per_b.max())},
        "suppliers_below_target": round(float((per_s < wanted).mean()), 4),
        "meetings_short_of_targets": schedule.shortfall,
        "suppliers_without_meeting": int((per_s == 0).sum()),
        "mutual_wishes_met": f"{len(met & set(mutual))}/{len(mutual)}",
    }
