"""What the planner solves, built from a fair definition and a buyer x supplier score matrix.

The pairs are every pair that may meet at all: neither side asked not to, the supplier is
eligible for the request (or both sides wish the meeting), the score is positive, and the two
share a free slot. A timetable of these pairs that respects availability, one meeting per
person per slot, the tables and the per-person limits is a *valid timetable*; the planner's
bound covers all of them. *Candidates* are a subset the large-fair search works in: each
buyer's best ``candidates_per_buyer`` suppliers, each supplier's best few buyers, wishes.

No engine here: ``matcher.fair.plan`` scores the pairs and calls :func:`make_problem`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from matcher.fair.definition import FairDefinition, Slot, available, slots
from matcher.fair.summary import PlanNote, target_lowered

WISH_BONUS = 0.25  # per side that asked; a mutual wish gets a third bonus on top
FAIR_SUPPLIER_CANDIDATES = 3  # each supplier keeps its best buyers as candidates, so nobody is cut out
WISHES = ("", "buyer", "supplier", "mutual")


class Pair(NamedTuple):
    b: int
    s: int
    value: float
    score: float
    eligible: bool
    wish: str  # "", "buyer", "supplier" or "mutual"
    must: bool
    candidate: bool


@dataclass
class Problem:
    """Pairs as parallel arrays (one entry per pair that may meet), people as rows."""

    fair: FairDefinition
    slots: list[Slot]
    buyers: list[str]
    suppliers: list[str]
    buyer_avail: np.ndarray  # (B, T) bool
    supplier_avail: np.ndarray  # (S, T) bool
    buyer_cap: np.ndarray  # (B,) meetings possible: the limit and the free slots
    supplier_cap: np.ndarray
    buyer_target: np.ndarray  # minimum meetings sought, already lowered to what is possible
    supplier_target: np.ndarray
    pair_b: np.ndarray  # (P,) int
    pair_s: np.ndarray
    value: np.ndarray  # (P,) float: score plus wish bonuses
    score: np.ndarray
    eligible: np.ndarray  # (P,) bool
    wish: np.ndarray  # (P,) int index into WISHES
    must: np.ndarray  # (P,) bool
    candidate: np.ndarray  # (P,) bool
    notes: list[PlanNote] = field(default_factory=list)  # targets lowered and why
    file: str = "fair definition"
    must_slots: dict[int, int] = field(default_factory=dict)  # a slot for every must-meet pair, all together

    @property
    def n_pairs(self) -> int:
        return len(self.pair_b)

    @cached_property
    def common(self) -> np.ndarray:
        """(P, T) bool: the slots where both sides of a pair are free."""
        return self.buyer_avail[self.pair_b] & self.supplier_avail[self.pair_s]

    @property
    def max_meetings(self) -> int:
        """No valid timetable holds more meetings than this."""
        return int(min(self.fair.tables * len(self.slots), self.buyer_cap.sum(), self.supplier_cap.sum()))

    def pair(self, p: int) -> Pair:
        return Pair(int(self.pair_b[p]), int(self.pair_s[p]), float(self.value[p]), float(self.score[p]),
                    bool(self.eligible[p]), WISHES[self.wish[p]], bool(self.must[p]), bool(self.candidate[p]))

    def must_field(self, p: int) -> str:
        """The field path of the must-meet wish behind pair ``p`` (the buyer's when both asked)."""
        b, s = int(self.pair_b[p]), int(self.pair_s[p])
        if self.suppliers[s] in self.fair.buyers[b].must_meet:
            return f"buyers.{b}.must_meet"
        return f"suppliers.{s}.must_meet"


def _wanted(people: list, default: int, attr: str) -> np.ndarray:
    return np.array([getattr(x, attr) if getattr(x, attr) is not None else default for x in people], dtype=int)


def _lowered(kind: str, ids: list[str], wanted: np.ndarray, cap: np.ndarray, free: np.ndarray,
             partners: np.ndarray, notes: list[PlanNote]) -> np.ndarray:
    """Targets no timetable can reach are lowered to what is possible, with a note saying why."""
    target = np.minimum(wanted, np.minimum(cap, partners))
    for i in np.flatnonzero(target < wanted):
        notes.append(target_lowered(kind, ids[i], int(wanted[i]), int(target[i]), int(free[i]), int(cap[i]),
                                    int(partners[i])))
    return target


def make_problem(fair: FairDefinition, score: np.ndarray, eligible: np.ndarray,
                 file: str = "fair definition") -> Problem:
    """Wishes, availability, limits and targets applied to a (buyers x suppliers) score matrix.

    Must-meets that cannot happen raise RecordError naming the pair, the field and, for pairs
    that compete for slots, the slot (``matcher.fair.musts``).
    """
    from matcher.fair.musts import check_must_pairs, check_must_slots

    all_slots = slots(fair)
    buyer_ids = [b.request_id for b in fair.buyers]
    supplier_ids = [s.supplier_id for s in fair.suppliers]
    n_b, n_s = len(buyer_ids), len(supplier_ids)
    b_pos, s_pos = {r: i for i, r in enumerate(buyer_ids)}, {s: i for i, s in enumerate(supplier_ids)}
    wants_b, wants_s = np.zeros((n_b, n_s), bool), np.zeros((n_b, n_s), bool)
    must, banned = np.zeros((n_b, n_s), bool), np.zeros((n_b, n_s), bool)

    for i, b in enumerate(fair.buyers):
        for sid in b.must_meet + b.would_like:
            wants_b[i, s_pos[sid]] = True
        must[i, [s_pos[sid] for sid in b.must_meet]] = True
        banned[i, [s_pos[sid] for sid in b.do_not_meet]] = True
    for j, s in enumerate(fair.suppliers):
        for rid in s.must_meet + s.would_like:
            wants_s[b_pos[rid], j] = True
        must[[b_pos[rid] for rid in s.must_meet], j] = True
        banned[[b_pos[rid] for rid in s.do_not_meet], j] = True
    mutual = wants_b & wants_s
    value = score + WISH_BONUS * (wants_b.astype(float) + wants_s + mutual)
    allowed = ~banned & (eligible | mutual) & (score > 0)

    b_avail = np.array([available(b, all_slots) for b in fair.buyers], dtype=bool).reshape(n_b, len(all_slots))
    s_avail = np.array([available(s, all_slots) for s in fair.suppliers], dtype=bool).reshape(n_s, len(all_slots))
    lim = fair.limits
    b_free, s_free = b_avail.sum(axis=1), s_avail.sum(axis=1)
    b_cap = np.minimum(_wanted(fair.buyers, lim.max_meetings_per_buyer, "max_meetings"), b_free)
    s_cap = np.minimum(_wanted(fair.suppliers, lim.max_meetings_per_supplier, "max_meetings"), s_free)
    share = (b_avail.astype(np.int32) @ s_avail.T.astype(np.int32)) > 0  # they share a free slot
    check_must_pairs(fair, file, must, banned, eligible, mutual, share, b_cap, s_cap)

    valid = (allowed & share) | must
    ranked = np.where(allowed, value, -np.inf)
    keep = must | (allowed & (wants_b | wants_s))
    # Each buyer's best candidates, and each supplier's, so small workshops stay in reach;
    # stable sorts break ties by position, i.e. by the order of the fair file.
    best_s = np.argsort(-ranked, axis=1, kind="stable")[:, : fair.candidates_per_buyer]
    keep[np.arange(n_b)[:, None], best_s] |= np.take_along_axis(allowed, best_s, axis=1)
    best_b = np.argsort(-ranked, axis=0, kind="stable")[:FAIR_SUPPLIER_CANDIDATES]
    keep[best_b, np.arange(n_s)[None, :]] |= np.take_along_axis(allowed, best_b, axis=0)

    pb, ps = np.nonzero(valid)
    wish = np.where(mutual, 3, np.where(wants_b, 1, np.where(wants_s, 2, 0)))[pb, ps].astype(np.int8)
    notes: list[PlanNote] = []
    b_target = _lowered("buyer", buyer_ids, _wanted(fair.buyers, lim.min_meetings_per_buyer, "min_meetings"),
                        b_cap, b_free, valid.sum(axis=1), notes)
    s_target = _lowered("supplier", supplier_ids, _wanted(fair.suppliers, lim.min_meetings_per_supplier,
                                                          "min_meetings"), s_cap, s_free, valid.sum(axis=0), notes)
    problem = Problem(fair, all_slots, buyer_ids, supplier_ids, b_avail, s_avail, b_cap, s_cap, b_target, s_target,
                      pb.astype(np.int64), ps.astype(np.int64), value[pb, ps].astype(float),
                      score[pb, ps].astype(float), eligible[pb, ps].astype(bool), wish, must[pb, ps], keep[pb, ps],
                      notes, file)
    problem.must_slots = check_must_slots(problem)
    return problem
