"""Local improvement for fairs too large for one model: re-plan a few people at a time.

Large-neighbourhood search. Each round picks some people (the *focus*), frees all their meetings
and lets CP-SAT re-plan them, with each one's best pairs, around every other meeting, which stays
fixed (``cpsat.solve_timetable(..., fixed=...)``). A round's plan replaces the current one only
when the objective rises, so the search never loses ground. Rounds alternate between people
below their target with the partners they could meet (so meetings can be traded), and people
drawn at random. The search stops after ``STALE_ROUNDS`` rounds without a gain, after
``MAX_ROUNDS``, or when CP-SAT's deterministic time (a count of work, the same on any machine)
reaches the budget; the draws come from the seed, so the same input gives the same plan. The
wall-clock deadline is a backstop: on a machine so loaded that it strikes first, the search
stops earlier and the plan may differ.
"""

from __future__ import annotations

import time

import numpy as np

from matcher.fair.cpsat import solve_timetable
from matcher.fair.problem import Problem
from matcher.fair.timetable import evaluate

LNS_VARIABLES = 5_000  # (pair, slot) variables per round's model
ROUND_SECONDS = 4.0  # CP-SAT deterministic time per round
MAX_ROUNDS = 400
STALE_ROUNDS = 12  # stop after this many rounds in a row without a gain
PARTNERS = 12  # each focus person's best pairs offered to the round's model


def rank_within(who: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Each pair's rank by value (0 = best) among the pairs of the same person ``who``."""
    order = np.lexsort((-value, who))
    rank = np.empty(len(who), dtype=np.int64)
    rank[order] = np.arange(len(who)) - np.searchsorted(who[order], who[order])
    return rank


class Neighbourhoods:
    """Which people each round frees; sizes measured in model variables."""

    def __init__(self, problem: Problem, seed: int, budget: int) -> None:
        self.problem, self.budget = problem, budget
        self.rng = np.random.default_rng(seed)
        self.top_b = rank_within(problem.pair_b, problem.value) < PARTNERS
        self.top_s = rank_within(problem.pair_s, problem.value) < PARTNERS
        slots_per_pair = problem.common.sum(axis=1)
        n_b = len(problem.buyers)
        self.cost = np.concatenate([  # people as one index: buyers, then suppliers
            np.bincount(problem.pair_b[self.top_b], slots_per_pair[self.top_b], minlength=n_b),
            np.bincount(problem.pair_s[self.top_s], slots_per_pair[self.top_s], minlength=len(problem.suppliers))])

    def _candidates(self, placed: list[tuple[int, int]], round_no: int):  # type: ignore[no-untyped-def]
        problem, n_b = self.problem, len(self.problem.buyers)
        pairs = np.array([p for p, _ in placed], dtype=np.int64)
        counts = np.concatenate([np.bincount(problem.pair_b[pairs], minlength=n_b),
                                 np.bincount(problem.pair_s[pairs], minlength=len(problem.suppliers))])
        targets = np.concatenate([problem.buyer_target, problem.supplier_target])
        if round_no % 2 == 0:  # people short of target, each with the partners they could meet
            for person in map(int, self.rng.permutation(np.flatnonzero(counts < targets))):
                if person < n_b:
                    partners = problem.pair_s[(problem.pair_b == person) & self.top_b] + n_b
                else:
                    partners = problem.pair_b[(problem.pair_s == person - n_b) & self.top_s]
                yield person
                yield from map(int, self.rng.permutation(partners))
        yield from map(int, self.rng.permutation(len(self.cost)))

    def focus(self, placed: list[tuple[int, int]], round_no: int) -> np.ndarray:
        """People (buyers, then suppliers) to free this round, within the variable budget."""
        chosen = np.zeros(len(self.cost), bool)
        spent = 0
        for person in self._candidates(placed, round_no):
            if not chosen[person] and spent + self.cost[person] <= self.budget:
                chosen[person] = True
                spent += self.cost[person]
            if spent >= 0.95 * self.budget:
                break
        return chosen


def improve(problem: Problem, placed: list[tuple[int, int]], work: float, deadline: float, seed: int,
            budget: int = LNS_VARIABLES) -> tuple[list[tuple[int, int]], str]:
    """A timetable at least as good as ``placed`` (a valid one), after at most ``work`` deterministic
    seconds of CP-SAT and no later than ``deadline`` (``time.perf_counter()``), and what stopped it."""
    hoods = Neighbourhoods(problem, seed, budget)
    n_b = len(problem.buyers)
    best = evaluate(problem, placed).objective
    stale = 0
    stopped = f"{MAX_ROUNDS} rounds"
    for round_no in range(MAX_ROUNDS):
        left = deadline - time.perf_counter()
        if stale >= STALE_ROUNDS or left < 0.5 or work < 0.5:
            stopped = (f"no gain in {STALE_ROUNDS} rounds" if stale >= STALE_ROUNDS else
                       "work limit" if work < 0.5 else "time limit")
            break
        chosen = hoods.focus(placed, round_no)
        in_b, in_s = chosen[:n_b][problem.pair_b], chosen[n_b:][problem.pair_s]
        touch = in_b | in_s
        subset = np.flatnonzero((in_b & hoods.top_b) | (in_s & hoods.top_s))
        subset = np.union1d(subset, [p for p, _ in placed if touch[p]]).astype(np.int64)
        fixed = [(p, t) for p, t in placed if not touch[p]]
        hint = [(p, t) for p, t in placed if touch[p]]
        result = solve_timetable(problem, subset, hint, left, seed + round_no, fixed, min(ROUND_SECONDS, work))
        work -= result.work
        if result.status in ("OPTIMAL", "FEASIBLE"):
            candidate = fixed + result.placed
            objective = evaluate(problem, candidate).objective
            if objective > best + 1e-9:
                placed, best, stale = candidate, objective, 0
                continue
        stale += 1
    return placed, stopped
