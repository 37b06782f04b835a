"""The timetable as one CP-SAT model: x[pair, slot] for a set of pairs, every rule, the full objective.

Over every pair of the fair this is the whole problem, and CP-SAT's bound is a bound on every
valid timetable; over a subset (the large-fair improvement step) it is only a search, and its
bound says nothing about pairs left out. Values are whole millionths rounded up (``flow.scaled``),
so the model's objective is never below the true one and its bound stays a bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.fair.flow import SCALE, scaled
from matcher.fair.problem import Problem
from matcher.fair.timetable import SHORTFALL_PENALTY


@dataclass
class CpResult:
    placed: list[tuple[int, int]]
    status: str  # CP-SAT's status name: OPTIMAL, FEASIBLE, UNKNOWN...
    bound: float  # CP-SAT's best objective bound, in objective units (values rounded up); of this model only
    seconds: float
    work: float  # CP-SAT's deterministic time: the same on any machine for the same model and seed


def solver_for(time_limit: float, seed: int, work: float | None = None):  # type: ignore[no-untyped-def]
    """One CP-SAT worker and a deterministic time limit (``work``, default ``time_limit``): the same
    input and seed give the same plan. ``time_limit`` is the wall-clock backstop; on a machine so
    loaded that it strikes first, the search stops earlier and the plan may differ.
    """
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.max_deterministic_time = time_limit if work is None else work
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1
    # More LP cuts: on small, tight fairs the default level spent seconds proving what this proves at once.
    solver.parameters.linearization_level = 2
    return solver


def solve_timetable(problem: Problem, subset: np.ndarray, hint: list[tuple[int, int]], time_limit: float,
                    seed: int, fixed: list[tuple[int, int]] = (),  # type: ignore[assignment]
                    work: float | None = None) -> CpResult:
    """Best timetable of the pairs in ``subset`` around the meetings in ``fixed``, starting from ``hint``.

    ``fixed`` meetings stay where they are: their people are busy then, their tables taken, and
    they count towards limits and targets. ``subset`` must hold every must-meet not in ``fixed``.
    The result lists the new meetings only (not ``fixed``).
    """
    from ortools.sat.python import cp_model

    n_b, n_s = len(problem.buyers), len(problem.suppliers)
    busy_b = np.zeros((n_b, len(problem.slots)), bool)
    busy_s = np.zeros((n_s, len(problem.slots)), bool)
    tables = np.full(len(problem.slots), problem.fair.tables)
    for p, t in fixed:
        busy_b[problem.pair_b[p], t] = busy_s[problem.pair_s[p], t] = True
        tables[t] -= 1
    fixed_pairs = np.array([p for p, _ in fixed], dtype=np.int64)
    caps_b = problem.buyer_cap - np.bincount(problem.pair_b[fixed_pairs], minlength=n_b)
    caps_s = problem.supplier_cap - np.bincount(problem.pair_s[fixed_pairs], minlength=n_s)
    targets_b = np.maximum(problem.buyer_target - (problem.buyer_cap - caps_b), 0)
    targets_s = np.maximum(problem.supplier_target - (problem.supplier_cap - caps_s), 0)

    model = cp_model.CpModel()
    hinted = set(hint)
    weights = scaled(problem.value)
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    per_b: dict[int, list] = {}
    per_s: dict[int, list] = {}
    groups: dict[tuple[str, int, int], list] = {}
    per_t: dict[int, list] = {}
    terms = []
    for p in map(int, subset):
        b, s = int(problem.pair_b[p]), int(problem.pair_s[p])
        mine: list = []
        for t in map(int, np.flatnonzero(problem.common[p] & ~busy_b[b] & ~busy_s[s])):
            x[p, t] = v = model.new_bool_var(f"x{p}_{t}")
            model.add_hint(v, (p, t) in hinted)
            mine.append(v)
            groups.setdefault(("b", b, t), []).append(v)
            groups.setdefault(("s", s, t), []).append(v)
            per_t.setdefault(t, []).append(v)
        if problem.must[p]:
            model.add_exactly_one(mine)
        elif len(mine) > 1:
            model.add_at_most_one(mine)
        per_b.setdefault(b, []).extend(mine)
        per_s.setdefault(s, []).extend(mine)
        terms.append((int(weights[p]), mine))
    for group in groups.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for t, vs in per_t.items():
        if len(vs) > tables[t]:
            model.add(sum(vs) <= int(tables[t]))
    shortfalls = []
    hint_b = np.bincount([problem.pair_b[p] for p, _ in hint], minlength=n_b)
    hint_s = np.bincount([problem.pair_s[p] for p, _ in hint], minlength=n_s)
    for people, caps, targets, counts in ((per_b, caps_b, targets_b, hint_b), (per_s, caps_s, targets_s, hint_s)):
        for i, vs in people.items():
            if len(vs) > caps[i]:
                model.add(sum(vs) <= int(caps[i]))
        for k in map(int, np.flatnonzero(targets)):
            short = model.new_int_var(0, int(targets[k]), "")
            model.add(sum(people.get(k, [])) + short >= int(targets[k]))
            model.add_hint(short, max(int(targets[k] - counts[k]), 0))
            shortfalls.append(short)
    penalty = round(SHORTFALL_PENALTY * SCALE)
    model.maximize(sum(w * sum(vs) for w, vs in terms) - penalty * sum(shortfalls))
    solver = solver_for(time_limit, seed, work)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return CpResult([], solver.status_name(status), float("inf"), solver.wall_time, solver.deterministic_time)
    placed = [(p, t) for (p, t), v in x.items() if solver.boolean_value(v)]
    return CpResult(placed, solver.status_name(status), solver.best_objective_bound / SCALE, solver.wall_time,
                    solver.deterministic_time)
