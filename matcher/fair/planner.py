"""Fair planner: matches into a timetable of one-to-one meetings, optimised and fair.

Two stages, both OR-Tools CP-SAT with a time limit:
1. choose the meetings: maximise total value under per-person limits, must-meets and the
   minimum-meetings target per supplier (soft, heavy penalty). Slots are relaxed to counts,
   so this optimum is an upper bound for any timetable;
2. place the chosen meetings in slots: one meeting per person per slot, tables per slot,
   availability. When everything fits, the plan is optimal; the gap to the stage-1 bound
   is reported either way.
A greedy baseline (best pairs first, earliest free slot) runs on the same input.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from matcher.errors import InputError
from matcher.fair.definition import FairDefinition, Slot

SCALE = 1000  # CP-SAT wants integers: values are kept to 1/1000
SHORTFALL_PENALTY = 10.0  # value lost per meeting missing below a supplier's target


@dataclass
class Pair:
    b: int
    s: int
    value: float
    score: float
    eligible: bool
    wish: str  # "", "buyer", "supplier" or "mutual"
    must: bool


@dataclass
class Problem:
    fair: FairDefinition
    slots: list[Slot]
    buyers: list[str]
    suppliers: list[str]
    buyer_avail: np.ndarray  # (B, T) bool
    supplier_avail: np.ndarray  # (S, T) bool
    buyer_cap: np.ndarray  # (B,) meetings possible: limit and available slots
    supplier_cap: np.ndarray
    supplier_target: np.ndarray  # minimum meetings sought, already capped by what is possible
    pairs: list[Pair]
    notes: list[str] = field(default_factory=list)  # targets lowered and why


@dataclass
class Schedule:
    """Meetings as (pair index, slot index); the value and shortfall they reach."""

    placed: list[tuple[int, int]]
    value: float
    shortfall: int
    seconds: float
    status: str = ""
    bound: float | None = None

    @property
    def objective(self) -> float:
        return self.value - SHORTFALL_PENALTY * self.shortfall


def _shortfall(problem: Problem, chosen: list[int]) -> int:
    counts = np.zeros(len(problem.suppliers), dtype=int)
    for p in chosen:
        counts[problem.pairs[p].s] += 1
    return int(np.maximum(problem.supplier_target - counts, 0).sum())


def _finish(problem: Problem, placed: list[tuple[int, int]], seconds: float, status: str,
            bound: float | None = None) -> Schedule:
    value = sum(problem.pairs[p].value for p, _ in placed)
    return Schedule(sorted(placed, key=lambda x: (x[1], x[0])), value,
                    _shortfall(problem, [p for p, _ in placed]), seconds, status, bound)


def greedy(problem: Problem) -> Schedule:
    """Baseline: must-meets, then pairs by value; each in the earliest slot both are free."""
    start = time.perf_counter()
    n_slots = len(problem.slots)
    busy_b = ~problem.buyer_avail.copy()
    busy_s = ~problem.supplier_avail.copy()
    tables = np.full(n_slots, problem.fair.tables)
    count_b = np.zeros(len(problem.buyers), dtype=int)
    count_s = np.zeros(len(problem.suppliers), dtype=int)
    order = sorted(range(len(problem.pairs)), key=lambda p: (not problem.pairs[p].must, -problem.pairs[p].value, p))
    placed = []
    for p in order:
        pair = problem.pairs[p]
        if count_b[pair.b] >= problem.buyer_cap[pair.b] or count_s[pair.s] >= problem.supplier_cap[pair.s]:
            continue
        free = np.flatnonzero(~busy_b[pair.b] & ~busy_s[pair.s] & (tables > 0))
        if free.size == 0:
            continue
        t = int(free[0])
        busy_b[pair.b, t] = busy_s[pair.s, t] = True
        tables[t] -= 1
        count_b[pair.b] += 1
        count_s[pair.s] += 1
        placed.append((p, t))
    return _finish(problem, placed, time.perf_counter() - start, "greedy")


def _solver(time_limit: float, seed: int):  # type: ignore[no-untyped-def]
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1  # one worker: the same input and seed give the same plan
    return solver


def choose(problem: Problem, time_limit: float, seed: int) -> tuple[list[int], float, float, str]:
    """Stage 1: which meetings. Returns chosen pairs, objective, upper bound, status."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    y = [model.new_bool_var(f"y{p}") for p in range(len(problem.pairs))]
    by_b: dict[int, list] = {}
    by_s: dict[int, list] = {}
    for p, pair in enumerate(problem.pairs):
        by_b.setdefault(pair.b, []).append(y[p])
        by_s.setdefault(pair.s, []).append(y[p])
        if pair.must:
            model.add(y[p] == 1)
    for b, vs in by_b.items():
        model.add(sum(vs) <= int(problem.buyer_cap[b]))
    short = []
    for s in range(len(problem.suppliers)):
        vs = by_s.get(s, [])
        if vs:
            model.add(sum(vs) <= int(problem.supplier_cap[s]))
        target = int(problem.supplier_target[s])
        if target:
            gap = model.new_int_var(0, target, f"short{s}")
            model.add(sum(vs) + gap >= target)
            short.append(gap)
    model.add(sum(y) <= problem.fair.tables * len(problem.slots))
    model.maximize(sum(round(pair.value * SCALE) * y[p] for p, pair in enumerate(problem.pairs))
                   - round(SHORTFALL_PENALTY * SCALE) * sum(short))
    solver = _solver(time_limit, seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise InputError("no plan satisfies the must-meet wishes with these limits and tables "
                         f"(solver status {solver.status_name(status)})")
    chosen = [p for p in range(len(y)) if solver.value(y[p])]
    return chosen, solver.objective_value / SCALE, solver.best_objective_bound / SCALE, solver.status_name(status)


def place_constructive(problem: Problem, chosen: list[int]) -> tuple[list[tuple[int, int]], list[int]]:
    """Most constrained meetings first, each in the common free slot with the most free tables.

    With per-person limits far below the number of slots this places everything almost always;
    what it cannot place goes to CP-SAT.
    """
    busy_b = ~problem.buyer_avail.copy()
    busy_s = ~problem.supplier_avail.copy()
    tables = np.full(len(problem.slots), problem.fair.tables)
    options = {p: int((problem.buyer_avail[problem.pairs[p].b] & problem.supplier_avail[problem.pairs[p].s]).sum())
               for p in chosen}
    order = sorted(chosen, key=lambda p: (not problem.pairs[p].must, options[p], -problem.pairs[p].value, p))
    placed, left = [], []
    for p in order:
        pair = problem.pairs[p]
        free = np.flatnonzero(~busy_b[pair.b] & ~busy_s[pair.s] & (tables > 0))
        if free.size == 0:
            left.append(p)
            continue
        t = int(free[np.argmax(tables[free])])  # first of the emptiest slots: spreads the hall
        busy_b[pair.b, t] = busy_s[pair.s, t] = True
        tables[t] -= 1
        placed.append((p, t))
    return placed, left


def place(problem: Problem, chosen: list[int], time_limit: float, seed: int) -> tuple[list[tuple[int, int]], str]:
    """Stage 2: a slot for each chosen meeting, dropping as little value as possible."""
    from ortools.sat.python import cp_model

    placed, left = place_constructive(problem, chosen)
    if not left:
        return placed, "ALL PLACED"
    hinted = set(placed)  # CP-SAT starts from the constructive placement

    model = cp_model.CpModel()
    counts = np.zeros(len(problem.suppliers), dtype=int)
    for p in chosen:
        counts[problem.pairs[p].s] += 1
    x: dict[tuple[int, int], object] = {}
    per_b: dict[tuple[int, int], list] = {}
    per_s: dict[tuple[int, int], list] = {}
    per_t: dict[int, list] = {}
    objective = []
    for p in chosen:
        pair = problem.pairs[p]
        common = np.flatnonzero(problem.buyer_avail[pair.b] & problem.supplier_avail[pair.s])
        mine = []
        for t in map(int, common):
            v = model.new_bool_var(f"x{p}_{t}")
            x[p, t] = v
            mine.append(v)
            per_b.setdefault((pair.b, t), []).append(v)
            per_s.setdefault((pair.s, t), []).append(v)
            per_t.setdefault(t, []).append(v)
            model.add_hint(v, (p, t) in hinted)
        if pair.must:
            model.add(sum(mine) == 1)
        else:
            model.add(sum(mine) <= 1)
        # Dropping a meeting that keeps a supplier at its target costs the shortfall penalty too.
        weight = pair.value + (SHORTFALL_PENALTY if counts[pair.s] <= problem.supplier_target[pair.s] else 0.0)
        objective.append(round(weight * SCALE) * sum(mine))
    for group in (*per_b.values(), *per_s.values()):
        if len(group) > 1:
            model.add_at_most_one(group)
    for vs in per_t.values():
        model.add(sum(vs) <= problem.fair.tables)
    model.maximize(sum(objective))
    solver = _solver(time_limit, seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise InputError("the must-meet meetings cannot all be given a slot: two of them share a person "
                         f"and a single common slot, or tables run out (solver status {solver.status_name(status)})")
    return [(p, t) for (p, t), v in x.items() if solver.value(v)], solver.status_name(status)


def solve(problem: Problem, time_limit: float = 60.0, seed: int = 0) -> tuple[Schedule, Schedule]:
    """(optimised plan, greedy baseline). The time limit is shared by the two stages.

    Stage 2 first places the chosen meetings constructively; when all fit, the plan reaches
    the stage-1 optimum, which is an upper bound: it is optimal.
    """
    baseline = greedy(problem)
    start = time.perf_counter()
    chosen, _, bound, status1 = choose(problem, time_limit * 0.4, seed)
    left = max(time_limit - (time.perf_counter() - start), 1.0)
    placed, status2 = place(problem, chosen, left, seed)
    plan = _finish(problem, placed, time.perf_counter() - start, f"choose {status1}, place {status2}", bound)
    return plan, baseline
