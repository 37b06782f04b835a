"""Must-meet wishes that cannot all be honoured, explained before any optimisation runs.

Two checks: each must-meet pair on its own (asked not to meet, ineligible, no common free
slot, more must-meets than a person can hold), then all of them together in time: a small
CP-SAT model gives every must-meet a slot (one meeting per person per slot, the tables). When
that is impossible, the conflicting must-meets (a minimal set) are named with the slots they
compete for. The slots found are kept: every plan starts from them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from matcher.errors import FieldProblem, RecordError
from matcher.fair.definition import FairDefinition

if TYPE_CHECKING:
    from matcher.fair.problem import Problem

MAX_CONFLICTS = 5  # conflicts named in one error
CHECK_SECONDS = 30.0


def _field(fair: FairDefinition, i: int, j: int) -> str:
    if fair.suppliers[j].supplier_id in fair.buyers[i].must_meet:
        return f"buyers.{i}.must_meet"
    return f"suppliers.{j}.must_meet"


def check_must_pairs(fair: FairDefinition, file: str, must: np.ndarray, banned: np.ndarray, eligible: np.ndarray,
                     mutual: np.ndarray, share: np.ndarray, b_cap: np.ndarray, s_cap: np.ndarray) -> None:
    """Must-meets that cannot happen whatever else is planned; RecordError names pair and field."""
    out = []
    buyers, suppliers = [b.request_id for b in fair.buyers], [s.supplier_id for s in fair.suppliers]
    for i, j in zip(*np.nonzero(must), strict=True):
        pair = f"{buyers[i]} and {suppliers[j]}"
        if banned[i, j]:
            message = f"{pair}: one side must meet the other, which asked not to meet"
        elif not eligible[i, j] and not mutual[i, j]:
            message = (f"{pair}: the supplier misses a must-have of the request; only a wish from both sides "
                       "schedules an ineligible pair")
        elif not share[i, j]:
            message = f"{pair}: no slot when both are available"
        else:
            continue
        out.append(FieldProblem(_field(fair, i, j), message, None, file))
    for kind, ids, counts, caps in (("buyers", buyers, must.sum(axis=1), b_cap),
                                    ("suppliers", suppliers, must.sum(axis=0), s_cap)):
        for i in np.flatnonzero(counts > caps):
            out.append(FieldProblem(f"{kind}.{i}.must_meet", f"{ids[i]}: {counts[i]} must-meet meetings but at "
                                    f"most {caps[i]} possible", None, file))
    if out:
        raise RecordError(out)


def _solve(problem: Problem, musts: np.ndarray, assumed: list[int]):  # type: ignore[no-untyped-def]
    """Slots for the must-meets at positions ``assumed`` of ``musts``; (solver, x, literals, status).

    Status: "feasible", "infeasible" (proven) or "unknown" (time limit)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    held = {}
    by_b: dict[tuple[int, int], list] = {}
    by_s: dict[tuple[int, int], list] = {}
    by_t: dict[int, list] = {}
    for k in assumed:
        p = int(musts[k])
        mine = []
        for t in map(int, np.flatnonzero(problem.common[p])):
            x[k, t] = v = model.new_bool_var(f"x{k}_{t}")
            mine.append(v)
            by_b.setdefault((int(problem.pair_b[p]), t), []).append(v)
            by_s.setdefault((int(problem.pair_s[p]), t), []).append(v)
            by_t.setdefault(t, []).append(v)
        held[k] = model.new_bool_var(f"held{k}")
        model.add(sum(mine) == 1).only_enforce_if(held[k])
    for group in (*by_b.values(), *by_s.values()):
        model.add_at_most_one(group)
    for vs in by_t.values():
        model.add(sum(vs) <= problem.fair.tables)
    model.add_assumptions(list(held.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = CHECK_SECONDS
    status = solver.solve(model)
    found = ("feasible" if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else
             "infeasible" if status == cp_model.INFEASIBLE else "unknown")
    return solver, x, held, found


def _core(problem: Problem, musts: np.ndarray, assumed: list[int]) -> list[int]:
    """A minimal set of must-meets (positions) that cannot all be held, from the solver's core."""
    solver, _, held, _ = _solve(problem, musts, assumed)
    index = {v.index: k for k, v in held.items()}
    core = sorted(index[i] for i in solver.sufficient_assumptions_for_infeasibility())
    for k in list(core):  # drop every must-meet the conflict does not need
        rest = [c for c in core if c != k]
        if rest and _solve(problem, musts, rest)[3] == "infeasible":
            core = rest
    return core


def _describe(problem: Problem, musts: np.ndarray, core: list[int]) -> FieldProblem:
    pairs = [int(musts[k]) for k in core]
    names = [f"{problem.buyers[problem.pair_b[p]]} with {problem.suppliers[problem.pair_s[p]]}" for p in pairs]
    union = np.flatnonzero(problem.common[pairs].any(axis=0))
    times = ", ".join(f"{problem.slots[t].start:%Y-%m-%d %H:%M}" for t in union)
    shared = set.intersection(*({f"b{problem.pair_b[p]}", f"s{problem.pair_s[p]}"} for p in pairs))
    if shared and len(union) < len(pairs):
        who = sorted(shared)[0]
        person = problem.buyers[int(who[1:])] if who[0] == "b" else problem.suppliers[int(who[1:])]
        reason = f"{person} can hold one meeting at a time"
    elif len(pairs) > problem.fair.tables * len(union):
        reason = f"the hall has {problem.fair.tables} table(s)"
    else:
        reason = "each of these slots is needed by another of them"
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    if len(union) == 1:
        message = f"must-meets {listed} compete for one slot: each can only take place at {times}, and {reason}"
    else:
        message = (f"must-meets {listed} cannot all take place: between them they can only use the slots "
                   f"{times}, and {reason}")
    return FieldProblem(problem.must_field(pairs[0]), message, None, problem.file)


def check_must_slots(problem: Problem) -> dict[int, int]:
    """A slot for every must-meet pair, all at once; RecordError names pairs and slots that conflict."""
    musts = np.flatnonzero(problem.must)
    if musts.size == 0:
        return {}
    assumed = list(range(len(musts)))
    problems: list[FieldProblem] = []
    while len(problems) < MAX_CONFLICTS:
        solver, x, _, status = _solve(problem, musts, assumed)
        if status == "feasible":
            if not problems:
                return {int(musts[k]): t for (k, t), v in x.items() if solver.value(v)}
            break
        core = _core(problem, musts, assumed) if status == "infeasible" else []
        if not core:  # no proof either way within the time limit
            problems.append(FieldProblem("must_meet", "the must-meet meetings could not be given slots within "
                                         f"{CHECK_SECONDS:g} s; fewer must-meets or more free slots help", None,
                                         problem.file))
            break
        problems.append(_describe(problem, musts, core))
        assumed = [k for k in assumed if k not in core]
    raise RecordError(problems)
