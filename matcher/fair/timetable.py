"""Timetables built by hand: the greedy baseline, placing chosen meetings, refilling free slots.

A :class:`Board` holds a valid timetable under construction: who is busy when, tables left per
slot, meetings per person. Every move keeps it valid, so whatever these functions return is a
valid timetable (availability, one meeting per person per slot, tables, per-person limits,
every must-meet at the slot the must-meet check found).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from matcher.fair.problem import Problem

SHORTFALL_PENALTY = 10.0  # objective lost per meeting missing below a buyer's or a supplier's target
MOVE_TRIES = 8  # meetings of a full slot tried for a move when a pair needs that slot


@dataclass
class Schedule:
    """Meetings as (pair, slot); what they are worth. objective = value - penalty x shortfall."""

    placed: list[tuple[int, int]]
    value: float
    buyer_shortfall: int
    supplier_shortfall: int
    seconds: float = 0.0
    method: str = ""

    @property
    def shortfall(self) -> int:
        return self.buyer_shortfall + self.supplier_shortfall

    @property
    def objective(self) -> float:
        return self.value - SHORTFALL_PENALTY * self.shortfall


def evaluate(problem: Problem, placed: list[tuple[int, int]], seconds: float = 0.0, method: str = "") -> Schedule:
    pairs = np.array([p for p, _ in placed], dtype=np.int64)
    per_b = np.bincount(problem.pair_b[pairs], minlength=len(problem.buyers))
    per_s = np.bincount(problem.pair_s[pairs], minlength=len(problem.suppliers))
    return Schedule(sorted(placed, key=lambda x: (x[1], x[0])), float(problem.value[pairs].sum()),
                    int(np.maximum(problem.buyer_target - per_b, 0).sum()),
                    int(np.maximum(problem.supplier_target - per_s, 0).sum()), seconds, method)


class Board:
    """A valid timetable under construction."""

    def __init__(self, problem: Problem, placed: list[tuple[int, int]] | None = None) -> None:
        """Empty but for the must-meets at their checked slots, or holding ``placed`` (a valid timetable)."""
        self.problem = problem
        self.busy_b = ~problem.buyer_avail  # an unavailable slot counts as taken
        self.busy_s = ~problem.supplier_avail
        self.tables = np.full(len(problem.slots), problem.fair.tables)
        self.count_b = np.zeros(len(problem.buyers), dtype=int)
        self.count_s = np.zeros(len(problem.suppliers), dtype=int)
        self.slot_of: dict[int, int] = {}
        self.at_b: dict[tuple[int, int], int] = {}
        self.at_s: dict[tuple[int, int], int] = {}
        self.at_t: dict[int, set[int]] = {t: set() for t in range(len(problem.slots))}
        for p, t in problem.must_slots.items() if placed is None else placed:
            self.add(p, t)

    def has_room(self, p: int) -> bool:
        b, s = self.problem.pair_b[p], self.problem.pair_s[p]
        return bool(self.count_b[b] < self.problem.buyer_cap[b] and self.count_s[s] < self.problem.supplier_cap[s])

    def free(self, p: int) -> np.ndarray:
        """Slots where pair ``p`` could meet now."""
        b, s = self.problem.pair_b[p], self.problem.pair_s[p]
        return np.flatnonzero(~self.busy_b[b] & ~self.busy_s[s] & (self.tables > 0))

    def add(self, p: int, t: int) -> None:
        b, s = int(self.problem.pair_b[p]), int(self.problem.pair_s[p])
        self.busy_b[b, t] = self.busy_s[s, t] = True
        self.tables[t] -= 1
        self.count_b[b] += 1
        self.count_s[s] += 1
        self.slot_of[p] = t
        self.at_b[b, t] = self.at_s[s, t] = p
        self.at_t[t].add(p)

    def remove(self, p: int) -> None:
        t = self.slot_of.pop(p)
        b, s = int(self.problem.pair_b[p]), int(self.problem.pair_s[p])
        self.busy_b[b, t] = self.busy_s[s, t] = False
        self.tables[t] += 1
        self.count_b[b] -= 1
        self.count_s[s] -= 1
        del self.at_b[b, t], self.at_s[s, t]
        self.at_t[t].discard(p)

    def placed(self) -> list[tuple[int, int]]:
        return list(self.slot_of.items())

    def _move_away(self, q: int, t: int) -> bool:
        """Move meeting ``q`` out of slot ``t`` to another slot its two sides have free."""
        self.remove(q)
        free = self.free(q)
        free = free[free != t]
        if free.size:
            self.add(q, int(free[0]))
            return True
        self.add(q, t)
        return False

    def insert(self, p: int) -> bool:
        """Add pair ``p`` in a free slot, or after moving one meeting that blocks a slot; False if neither."""
        if p in self.slot_of or not self.has_room(p) or not self.tables.any():
            return False
        free = self.free(p)
        if free.size:
            self.add(p, int(free[np.argmax(self.tables[free])]))  # the emptiest slot: spreads the hall
            return True
        b, s = int(self.problem.pair_b[p]), int(self.problem.pair_s[p])
        for t in map(int, np.flatnonzero(self.problem.common[p])):
            blockers = [q for q in (self.at_b.get((b, t)), self.at_s.get((s, t))) if q is not None]
            if not blockers and self.tables[t] == 0:  # both free, the hall full: one meeting may move
                blockers = sorted(self.at_t[t])[:MOVE_TRIES]
                if any(self._move_away(q, t) for q in blockers):
                    self.add(p, t)
                    return True
            elif len(blockers) == 1 and self._move_away(blockers[0], t):
                self.add(p, t)
                return True
        return False


def greedy(problem: Problem) -> Schedule:
    """Baseline: the must-meets where the must-meet check put them, then every pair by value, each in
    the earliest slot both sides have free; blind to targets."""
    start = time.perf_counter()
    board = Board(problem)
    cap_b, cap_s = problem.buyer_cap, problem.supplier_cap
    for p in map(int, np.argsort(-problem.value, kind="stable")):
        b, s = problem.pair_b[p], problem.pair_s[p]
        if p in board.slot_of or board.count_b[b] >= cap_b[b] or board.count_s[s] >= cap_s[s]:
            continue
        free = board.free(p)
        if free.size:
            board.add(p, int(free[0]))
    return evaluate(problem, board.placed(), time.perf_counter() - start, "greedy")


def place(problem: Problem, chosen: np.ndarray) -> tuple[Board, list[int]]:
    """Chosen pairs into slots: most constrained first, each in the emptiest slot both sides have free.

    Returns the board and the pairs that found no slot.
    """
    board = Board(problem)
    options = problem.common[chosen].sum(axis=1)
    left = []
    for p in map(int, chosen[np.lexsort((-problem.value[chosen], options))]):
        if p not in board.slot_of and not board.insert(p):
            left.append(p)
    return board, left


def refill(problem: Problem, board: Board) -> Board:
    """Fill what is free: first pairs that lift someone towards a target, then any pair by value.

    Adding a meeting never lowers the objective (values are positive), so this only improves.
    """
    below_b = board.count_b < problem.buyer_target
    below_s = board.count_s < problem.supplier_target
    lifts = below_b[problem.pair_b] | below_s[problem.pair_s]
    gain = problem.value + SHORTFALL_PENALTY * (below_b[problem.pair_b].astype(float) + below_s[problem.pair_s])
    for p in map(int, np.flatnonzero(lifts)[np.argsort(-gain[lifts], kind="stable")]):
        b, s = problem.pair_b[p], problem.pair_s[p]
        if board.count_b[b] < problem.buyer_target[b] or board.count_s[s] < problem.supplier_target[s]:
            board.insert(p)
    for p in map(int, np.argsort(-problem.value, kind="stable")):
        b, s = problem.pair_b[p], problem.pair_s[p]
        if board.count_b[b] < problem.buyer_cap[b] and board.count_s[s] < problem.supplier_cap[s]:
            board.insert(p)
    return board
