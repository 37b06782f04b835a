"""The consortium model: choose 2 to K workshops and split the order between them (OR-Tools CP-SAT).

Variables per candidate ``s``: ``y_s`` (member) and ``q_s`` (pieces allocated), with
``moq_s * y_s <= q_s <= cap_s * y_s``, ``sum q_s = quantity`` (exactly the order) and
``2 <= sum y_s <= K``. Coherence: the group shares one material (one ``z_m`` chosen, every member
works it; it is one of the request's materials when the request names any) and, among the members
that state techniques, one technique (``w_t``; generic ones such as polishing do not count).
Optionally (``require_lead``) a member has exported before. Objective, in integers:

    maximise  sum_s value_s * q_s  -  MEMBER_COST * SCALE * quantity * (sum_s y_s - 2)

i.e. the match quality weighted by allocated quantity (``value_s`` = match score × SCALE) minus
MEMBER_COST for each member beyond two: a third member must raise the quantity-weighted mean
score by more than 0.02 to be worth the coordination it costs. Reported ``value`` is the objective
divided by ``SCALE * quantity``. The next groups come from the same model with a cut per earlier
group (``sum_{s in G} y_s <= |G| - 1``): a later group never contains every member of an earlier
one, so the alternatives are not the best group plus a passenger.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from matcher.bounds import CONSORTIUM_DEFAULT_TIME_LIMIT
from matcher.consortium.candidates import SCALE

MEMBER_COST = 0.02  # value lost per member beyond two (see the module docstring)
DEFAULT_TIME_LIMIT = CONSORTIUM_DEFAULT_TIME_LIMIT  # seconds per solve


@dataclass
class Problem:
    quantity: int
    capacity: np.ndarray  # whole pieces in the window
    moq: np.ndarray
    value: np.ndarray  # integer match scores (× SCALE)
    materials: list[set[str]]
    techniques: list[set[str]]
    exporter: np.ndarray
    max_members: int = 4
    require_lead: bool = False
    member_cost: float = MEMBER_COST

    @property
    def cost(self) -> int:
        return round(self.member_cost * SCALE * self.quantity)


@dataclass
class Group:
    members: list[int]  # candidate positions, sorted
    allocation: list[int]  # pieces per member, same order
    objective: int
    bound: int
    status: str  # OPTIMAL, FEASIBLE (CP-SAT) or GREEDY
    seconds: float = 0.0
    materials: set[str] = field(default_factory=set)
    techniques: set[str] = field(default_factory=set)

    def value(self, p: Problem) -> float:
        return self.objective / (SCALE * p.quantity)

    def quality(self, p: Problem) -> float:
        """Quantity-weighted mean match score."""
        total = sum(int(p.value[m]) * a for m, a in zip(self.members, self.allocation, strict=True))
        return float(total) / (SCALE * p.quantity)

    def gap(self) -> float:
        return 0.0 if self.bound == self.objective else (self.bound - self.objective) / max(abs(self.bound), 1)


def objective(p: Problem, members: list[int], allocation: list[int]) -> int:
    total = sum(int(p.value[m]) * a for m, a in zip(members, allocation, strict=True))
    return int(total) - p.cost * (len(members) - 2)


def fill(p: Problem, members: list[int]) -> list[int] | None:
    """The best split of the order within a fixed group: each member its minimum, the rest to the best
    scores first (exact: one equality, box bounds). None when the minimums exceed the order or the
    capacities fall short of it."""
    alloc = {m: int(p.moq[m]) for m in members}
    rest = p.quantity - sum(alloc.values())
    if rest < 0 or sum(int(p.capacity[m]) for m in members) < p.quantity or any(
            alloc[m] > int(p.capacity[m]) for m in members):
        return None
    for m in sorted(members, key=lambda m: (-int(p.value[m]), m)):
        extra = min(rest, int(p.capacity[m]) - alloc[m])
        alloc[m] += extra
        rest -= extra
    return [alloc[m] for m in members]


def shared(p: Problem, members: list[int]) -> tuple[set[str], set[str]] | None:
    """(shared materials, shared techniques) of a coherent group, else None."""
    materials = set.intersection(*(p.materials[m] for m in members))
    stated = [p.techniques[m] for m in members if p.techniques[m]]
    techniques = set.intersection(*stated) if stated else set()
    if not materials or (stated and not techniques):
        return None
    return materials, techniques


def coherent_capacity(p: Problem) -> tuple[int, str, str | None]:
    """The most pieces any coherent group of at most K can make: (pieces, material, technique).

    For each shared material and technique, the K largest workshops that fit it (a workshop that
    states no technique fits every one). An upper bound: minimum orders may still rule groups out.
    """
    best: tuple[int, str, str | None] = (0, "", None)
    techniques: list[str | None] = [None, *sorted(set().union(*p.techniques))]
    for material in sorted(set().union(*p.materials)):
        for technique in techniques:
            fit = [int(p.capacity[s]) for s in range(len(p.capacity)) if material in p.materials[s]
                   and (not p.techniques[s] or (technique is not None and technique in p.techniques[s]))]
            total = sum(sorted(fit, reverse=True)[: p.max_members]) if len(fit) >= 2 else 0
            if total > best[0]:
                best = (total, material, technique)
    return best


def solve(p: Problem, top: int = 3, time_limit: float = DEFAULT_TIME_LIMIT, seed: int = 0) -> tuple[list[Group], str]:
    """Up to ``top`` groups, best first, and the status of the solve that ended the search
    (INFEASIBLE when no further group exists, UNKNOWN when time ran out before finding one)."""
    from ortools.sat.python import cp_model

    n = len(p.capacity)
    model = cp_model.CpModel()
    y = [model.new_bool_var(f"y{s}") for s in range(n)]
    cap = [min(int(p.capacity[s]), p.quantity) for s in range(n)]  # no member makes more than the order
    q = [model.new_int_var(0, cap[s], f"q{s}") for s in range(n)]
    for s in range(n):
        model.add(q[s] >= min(int(p.moq[s]), p.quantity + 1) * y[s])
        model.add(q[s] <= cap[s] * y[s])
    model.add(sum(q) == p.quantity)
    model.add(sum(y) >= 2)
    model.add(sum(y) <= p.max_members)
    for sets, exactly in ((p.materials, True), (p.techniques, False)):
        names = sorted(set().union(*sets)) if sets else []
        pick = {name: model.new_bool_var(f"pick:{name}") for name in names}
        if exactly:
            model.add(sum(pick.values()) == 1)
        else:
            model.add(sum(pick.values()) <= 1)
        for s in range(n):
            if sets[s] or exactly:
                model.add(y[s] <= sum(pick[name] for name in sorted(sets[s])))
    if p.require_lead:
        model.add(sum(y[s] for s in range(n) if p.exporter[s]) >= 1)
    model.maximize(sum(int(p.value[s]) * q[s] for s in range(n)) - p.cost * (sum(y) - 2))

    groups: list[Group] = []
    status_name = "INFEASIBLE"
    while len(groups) < top:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit
        solver.parameters.random_seed = seed
        solver.parameters.num_workers = 1  # one worker: the same input gives the same groups
        started = time.perf_counter()
        status = solver.solve(model)
        status_name = solver.status_name(status)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        members = [s for s in range(n) if solver.value(y[s])]
        # The solver's split is optimal for its group when the status is OPTIMAL; the exact fill makes
        # it so in every case (it can only raise the objective of a FEASIBLE answer).
        allocation = fill(p, members) or [int(solver.value(q[s])) for s in members]
        obj = objective(p, members, allocation)
        bound = max(round(solver.best_objective_bound), obj)
        found = shared(p, members) or (set(), set())
        groups.append(Group(members, allocation, obj, bound, "OPTIMAL" if obj == bound else "FEASIBLE",
                            time.perf_counter() - started, *found))
        model.add(sum(y[s] for s in members) <= len(members) - 1)
    return groups, status_name


def greedy(p: Problem) -> Group | None:
    """Baseline: best scores first, each joining when the group stays coherent, until the order is covered."""
    started, members = time.perf_counter(), list[int]()
    for s in sorted(range(len(p.capacity)), key=lambda s: (-int(p.value[s]), s)):
        if len(members) == p.max_members:
            break
        if p.moq[s] > p.capacity[s] or shared(p, [*members, s]) is None:
            continue
        members.append(s)
        if len(members) >= 2 and sum(int(p.capacity[m]) for m in members) >= p.quantity:
            break
    members.sort()
    if len(members) < 2 or (p.require_lead and not any(p.exporter[m] for m in members)):
        return None
    allocation = fill(p, members)
    if allocation is None:
        return None
    obj = objective(p, members, allocation)
    found = shared(p, members) or (set(), set())
    return Group(members, allocation, obj, obj, "GREEDY", time.perf_counter() - started, *found)
