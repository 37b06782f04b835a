"""An exact fair planner for tiny fairs, written without the planner's code: a MILP solved by HiGHS.

It reads the rules from the fair definition itself (do-not-meet, eligibility or a mutual wish, a
positive score, availability, limits, one meeting per person per slot, tables, must-meets) and
maximises value - 10 x shortfall below the minimum-meetings targets, targets lowered to what a
person could reach at all (their limit, their free slots, the partners they could meet).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from matcher.fair.definition import FairDefinition, available, slots

PENALTY = 10.0
BONUS = 0.25


@dataclass
class Exact:
    objective: float
    meetings: list[tuple[str, str, int]]  # (request_id, supplier_id, slot)


class Rules:
    """Values, who may meet when, limits and targets, straight from the definition."""

    def __init__(self, fair: FairDefinition, score: np.ndarray, eligible: np.ndarray) -> None:
        self.fair = fair
        all_slots = slots(fair)
        self.n_slots = len(all_slots)
        self.buyers = [b.request_id for b in fair.buyers]
        self.suppliers = [s.supplier_id for s in fair.suppliers]
        self.value: dict[tuple[int, int], float] = {}
        self.when: dict[tuple[int, int], list[int]] = {}
        self.must: set[tuple[int, int]] = set()
        lim = fair.limits
        b_free = [available(b, all_slots) for b in fair.buyers]
        s_free = [available(s, all_slots) for s in fair.suppliers]
        for i, b in enumerate(fair.buyers):
            for j, s in enumerate(fair.suppliers):
                wb = s.supplier_id in b.must_meet or s.supplier_id in b.would_like
                ws = b.request_id in s.must_meet or b.request_id in s.would_like
                banned = s.supplier_id in b.do_not_meet or b.request_id in s.do_not_meet
                must = s.supplier_id in b.must_meet or b.request_id in s.must_meet
                when = [t for t in range(self.n_slots) if b_free[i][t] and s_free[j][t]]
                # A must-meet is held even at a score of 0; any other meeting needs a positive score.
                if banned or not (eligible[i, j] or (wb and ws)) or not (score[i, j] > 0 or must) or not when:
                    continue
                self.value[i, j] = float(score[i, j]) + BONUS * (wb + ws + (wb and ws))
                self.when[i, j] = when
                if must:
                    self.must.add((i, j))

        def limit(person, default, free, attr):  # type: ignore[no-untyped-def]
            given = getattr(person, attr)
            return min(default if given is None else given, sum(free))

        self.b_max = [limit(b, lim.max_meetings_per_buyer, f, "max_meetings")
                      for b, f in zip(fair.buyers, b_free, strict=True)]
        self.s_max = [limit(s, lim.max_meetings_per_supplier, f, "max_meetings")
                      for s, f in zip(fair.suppliers, s_free, strict=True)]
        b_partners = [sum(1 for (i, _) in self.value if i == k) for k in range(len(self.buyers))]
        s_partners = [sum(1 for (_, j) in self.value if j == k) for k in range(len(self.suppliers))]
        self.b_target = [min(lim.min_meetings_per_buyer if b.min_meetings is None else b.min_meetings, m, n)
                         for b, m, n in zip(fair.buyers, self.b_max, b_partners, strict=True)]
        self.s_target = [min(lim.min_meetings_per_supplier if s.min_meetings is None else s.min_meetings, m, n)
                         for s, m, n in zip(fair.suppliers, self.s_max, s_partners, strict=True)]

    def objective(self, meetings: list[tuple[str, str, int]]) -> float:
        """value - penalty x shortfall of a timetable given as (request_id, supplier_id, slot)."""
        b_pos = {r: i for i, r in enumerate(self.buyers)}
        s_pos = {s: j for j, s in enumerate(self.suppliers)}
        per_b, per_s = [0] * len(self.buyers), [0] * len(self.suppliers)
        total = 0.0
        for rid, sid, _ in meetings:
            i, j = b_pos[rid], s_pos[sid]
            total += self.value[i, j]
            per_b[i] += 1
            per_s[j] += 1
        short = sum(max(t - n, 0) for t, n in zip(self.b_target, per_b, strict=True)) + \
            sum(max(t - n, 0) for t, n in zip(self.s_target, per_s, strict=True))
        return total - PENALTY * short


def exact_plan(rules: Rules) -> Exact:
    """The best timetable (HiGHS MILP, solved to optimality)."""
    keys = [(i, j, t) for (i, j), when in rules.when.items() for t in when]
    n_b, n_s = len(rules.buyers), len(rules.suppliers)
    n = len(keys) + n_b + n_s  # x[i, j, t], then shortfall per buyer and per supplier
    rows: list[tuple[dict[int, float], float, float]] = []
    for i, j in rules.when:
        cols = {k: 1.0 for k, key in enumerate(keys) if key[:2] == (i, j)}
        rows.append((cols, 1.0 if (i, j) in rules.must else 0.0, 1.0))
    for t in range(rules.n_slots):
        rows.append(({k: 1.0 for k, key in enumerate(keys) if key[2] == t}, 0, rules.fair.tables))
        for i in range(n_b):
            rows.append(({k: 1.0 for k, key in enumerate(keys) if key[0] == i and key[2] == t}, 0, 1))
        for j in range(n_s):
            rows.append(({k: 1.0 for k, key in enumerate(keys) if key[1] == j and key[2] == t}, 0, 1))
    for side, caps, targets, offset in ((0, rules.b_max, rules.b_target, len(keys)),
                                        (1, rules.s_max, rules.s_target, len(keys) + n_b)):
        for who, (cap, target) in enumerate(zip(caps, targets, strict=True)):
            mine = {k: 1.0 for k, key in enumerate(keys) if key[side] == who}
            rows.append((mine, 0, cap))
            rows.append(({**mine, offset + who: 1.0}, target, np.inf))  # meetings + shortfall >= target
    matrix = lil_matrix((len(rows), n))
    for r, (cols, _, _) in enumerate(rows):
        for c, v in cols.items():
            matrix[r, c] = v
    cost = np.concatenate([[-rules.value[i, j] for i, j, _ in keys], np.full(n_b + n_s, PENALTY)])
    res = milp(cost, constraints=LinearConstraint(matrix.tocsr(), [r[1] for r in rows], [r[2] for r in rows]),
               integrality=np.ones(n), bounds=Bounds(0, np.concatenate([np.ones(len(keys)), np.full(n_b + n_s, 99)])))
    assert res.status == 0, res.message
    chosen = [(rules.buyers[i], rules.suppliers[j], t) for k, (i, j, t) in enumerate(keys) if res.x[k] > 0.5]
    return Exact(rules.objective(chosen), chosen)
