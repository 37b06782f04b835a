"""Fair planner: matches into a timetable of one-to-one meetings, optimised, fair, never below greedy.

Objective: the value of the meetings held minus ``SHORTFALL_PENALTY`` per meeting missing below
a buyer's or a supplier's minimum-meetings target (targets are soft; value, shortfall and
objective are reported apart). The pairs are every pair that may meet (``matcher.fair.problem``).

1. Before anything is solved, the must-meets get slots together or the conflict is named
   (``musts``, run by ``problem.make_problem``).
2. The greedy baseline runs on the same input (``timetable.greedy``).
3. The count relaxation over every pair, solved exactly as a min-cost flow (``flow``), is an
   upper bound on every valid timetable. Its meetings are placed (most constrained first) and the
   slots left free refilled: pairs lifting someone towards a target first, then any by value,
   moving one meeting when that frees a slot (``timetable.place``, ``timetable.refill``). When
   that plan reaches the bound it is optimal and the search ends here.
4. Otherwise, on small fairs (at most ``EXACT_VARIABLES`` (pair, slot) variables over every
   pair), one CP-SAT model of the whole timetable (``cpsat``), started from the better of that
   plan and greedy; its proof, or its bound when lower, covers every valid timetable. On larger
   fairs CP-SAT re-plans a few people at a time around everyone else's meetings, keeping each
   change that raises the objective (``improve``), and the refill runs again.
5. The better of the optimised plan and the greedy one is returned, so the plan is never below
   the baseline. "optimal" is said only when its objective reaches the bound (to ``tolerance``),
   i.e. when no valid timetable of the input is better.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from matcher.fair.cpsat import solve_timetable
from matcher.fair.flow import SCALE, count_relaxation
from matcher.fair.improve import LNS_VARIABLES, improve
from matcher.fair.problem import Problem
from matcher.fair.timetable import Board, Schedule, evaluate, greedy, place, refill

EXACT_VARIABLES = 15_000  # (pair, slot) variables up to which the whole timetable is one CP-SAT model
# CP-SAT's deterministic time is capped at this share of the time limit: measured on the 2-core
# machine of notes/fair-planner.md, a deterministic second costs 3-4 wall seconds with the model
# building, so the cap, not the clock, ends the search and the same input gives the same plan.
WORK_SHARE = 0.2


@dataclass
class Bound:
    value: float
    method: str  # how it was obtained
    covers: str  # exactly what it bounds


@dataclass
class Result:
    plan: Schedule
    greedy: Schedule
    optimised: Schedule
    bound: Bound
    status: str  # "optimal" (proven on every valid timetable) or "feasible"
    tolerance: float  # "optimal" means no valid timetable is better by more than this
    seconds: float
    stopped: str  # what ended the search; "time limit" means the plan may not repeat on a rerun


def tolerance(problem: Problem) -> float:
    """Values are handled in whole millionths: at most one millionth per meeting is lost to rounding."""
    return max(problem.max_meetings, 1) / SCALE


def gap(objective: float, bound: float) -> float:
    """(bound - objective) / |bound|, with |bound| taken as at least 1 (objectives may be near 0 or negative)."""
    return max(bound - objective, 0.0) / max(abs(bound), 1.0)


def _best(*schedules: Schedule) -> Schedule:
    return max(schedules, key=lambda s: s.objective)  # the first wins a tie


def solve(problem: Problem, time_limit: float = 60.0, seed: int = 0,
          exact_variables: int = EXACT_VARIABLES, lns_variables: int = LNS_VARIABLES) -> Result:
    """Plan ``problem`` within about ``time_limit`` seconds; see the module docstring for how.

    CP-SAT's work is limited in deterministic time (``WORK_SHARE`` x ``time_limit``), so the same
    input and seed give the same plan; the wall clock stops it all at ``time_limit`` seconds.
    """
    start = time.perf_counter()
    baseline = greedy(problem)
    bound_value, chosen = count_relaxation(problem)
    pairs = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in (
        (problem.n_pairs, "pair that may meet", "pairs that may meet"), (len(problem.slots), "slot", "slots"),
        (problem.fair.tables, "table", "tables")))
    bound = Bound(bound_value, "count relaxation (slots relaxed to per-person limits and tables x slots), "
                  "min-cost flow", f"every valid timetable: {pairs}")
    board, _ = place(problem, chosen)
    current = evaluate(problem, refill(problem, board).placed())
    n_variables = int(problem.common.sum())

    def left() -> float:
        return max(time_limit - (time.perf_counter() - start), 1.0)

    work = WORK_SHARE * time_limit
    if current.objective >= bound.value - tolerance(problem):
        method = "count relaxation over every pair, placement, refill (reaches the bound)"
        stopped = "bound reached"
    elif n_variables <= exact_variables:
        method = "one CP-SAT model of the whole timetable (every pair, every slot)"
        hint = _best(current, baseline)
        cp = solve_timetable(problem, np.arange(problem.n_pairs), hint.placed, left(), seed, work=work)
        stopped = ("proof" if cp.status in ("OPTIMAL", "INFEASIBLE") else
                   "work limit" if cp.work >= 0.99 * work else "time limit")
        if cp.bound < bound.value:
            bound = Bound(cp.bound, f"CP-SAT over every pair and slot ({cp.status})", bound.covers)
        current = _best(evaluate(problem, cp.placed), hint) if cp.status in ("OPTIMAL", "FEASIBLE") else hint
    else:
        method = ("count relaxation over every pair, placement, refill, then CP-SAT re-planning a few "
                  f"people at a time ({lns_variables} variables a round), refill")
        start_from = _best(current, baseline)
        improved, stopped = improve(problem, start_from.placed, work, start + time_limit, seed, lns_variables)
        current = _best(evaluate(problem, refill(problem, Board(problem, improved)).placed()), start_from)
    optimised = Schedule(current.placed, current.value, current.buyer_shortfall, current.supplier_shortfall,
                         time.perf_counter() - start, method)
    plan = _best(optimised, baseline)
    tol = tolerance(problem)
    status = "optimal" if plan.objective >= bound.value - tol else "feasible"
    return Result(plan, baseline, optimised, bound, status, tol, time.perf_counter() - start, stopped)

