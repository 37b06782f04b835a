"""The planner on small problems whose optimum is known by hand (no engine involved)."""

import numpy as np
import pytest

from matcher.errors import InputError
from matcher.fair.definition import parse_fair, slots
from matcher.fair.planner import SHORTFALL_PENALTY, Pair, Problem, greedy, solve
from tests.fair_check import violations


def problem(values: dict[tuple[int, int], float], n_slots: int = 1, tables: int = 2, targets=(0, 0),
            caps=(8, 8), avail_s=None, must=()) -> Problem:
    fair = parse_fair({"name": "F", "tables": tables,
                       "days": [{"date": "2027-01-01", "start": "09:00", "slot_minutes": 30, "slots": n_slots}],
                       "buyers": [{"request_id": "B0"}, {"request_id": "B1"}],
                       "suppliers": [{"supplier_id": "S0"}, {"supplier_id": "S1"}]})
    pairs = [Pair(b, s, v, v, True, "", (b, s) in must) for (b, s), v in values.items()]
    s_avail = np.ones((2, n_slots), bool) if avail_s is None else np.array(avail_s)
    return Problem(fair, slots(fair), ["B0", "B1"], ["S0", "S1"], np.ones((2, n_slots), bool), s_avail,
                   np.array([min(caps[0], n_slots)] * 2), np.minimum(np.array([caps[1]] * 2), s_avail.sum(axis=1)),
                   np.array(targets), pairs)


def as_meetings(p: Problem, placed):
    out, used = [], {}
    for i, t in sorted(placed, key=lambda x: x[1]):
        used[t] = used.get(t, 0) + 1
        out.append({"request_id": p.buyers[p.pairs[i].b], "supplier_id": p.suppliers[p.pairs[i].s], "slot": t,
                    "table": used[t]})
    return out


VALUES = {(0, 0): 1.0, (0, 1): 0.9, (1, 0): 0.8, (1, 1): 0.1}


def test_one_slot_is_a_maximum_weight_matching_greedy_misses():
    # Best pairs first gives B0-S0 + B1-S1 = 1.1; the optimum is B0-S1 + B1-S0 = 1.7.
    p = problem(VALUES)
    plan, base = solve(p, time_limit=10)
    assert plan.value == pytest.approx(1.7) and base.value == pytest.approx(1.1)
    assert plan.bound == pytest.approx(1.7, abs=1e-3)


def test_one_table_keeps_only_the_best_meeting():
    plan, _ = solve(problem(VALUES, tables=1), time_limit=10)
    assert [(plan.placed[0][1], plan.value)] == [(0, pytest.approx(1.0))]


def test_minimum_meetings_beat_value_when_feasible():
    # S1 must get a meeting: with one slot, B0-S0 + B1-S1 (1.1) is worse in value than 1.7 but
    # leaves nobody short; with targets (0, 1) and (1, 1) both plans fit, value decides.
    p = problem({(0, 0): 1.0, (1, 0): 0.8, (1, 1): 0.1}, tables=2, targets=(0, 1))
    plan, _ = solve(p, time_limit=10)
    assert plan.shortfall == 0 and plan.value == pytest.approx(1.1)
    p2 = problem({(0, 0): 1.0, (1, 0): 0.8, (1, 1): 0.1}, tables=1, targets=(0, 1))
    plan2, _ = solve(p2, time_limit=10)
    assert plan2.shortfall == 0 and plan2.value == pytest.approx(0.1)  # the penalty outweighs 1.0
    assert plan2.objective == pytest.approx(0.1) and greedy(p2).objective == pytest.approx(1.0 - SHORTFALL_PENALTY)


def test_two_slots_fit_everything_without_double_booking():
    p = problem(VALUES, n_slots=2, tables=1)
    plan, base = solve(p, time_limit=10)
    # Two slots x one table: two meetings; B0 meets S0 then S1 (1.0 + 0.9), nobody twice in a slot.
    assert len(plan.placed) == 2 and plan.value == pytest.approx(1.9)
    assert violations(p.fair, as_meetings(p, plan.placed)) == []
    assert violations(p.fair, as_meetings(p, base.placed)) == []


def test_same_input_and_seed_same_plan():
    p = problem(VALUES, n_slots=2)
    assert solve(p, 10, seed=3)[0].placed == solve(p, 10, seed=3)[0].placed


def test_must_meets_that_cannot_share_the_only_slot_are_explained():
    p = problem({(0, 0): 0.5, (0, 1): 0.5}, n_slots=2, avail_s=[[True, False], [True, False]],
                must=((0, 0), (0, 1)))
    with pytest.raises(InputError, match=r"^the must-meet meetings cannot all be given a slot: two of them share"):
        solve(p, time_limit=10)


def test_cp_sat_repairs_what_the_constructive_placement_cannot_fit():
    # B1-S1 fits only slot 1 and goes first; B0-S0 then takes the emptier slot 0, leaving B0-S1
    # nowhere. Swapping B0's two meetings fits all three: CP-SAT must find it.
    p = problem({(0, 0): 0.9, (0, 1): 0.5, (1, 1): 0.4}, n_slots=2, tables=2)
    p.buyer_avail = np.array([[True, True], [False, True]])
    p.buyer_cap = p.buyer_avail.sum(axis=1)
    plan, _ = solve(p, time_limit=10)
    assert len(plan.placed) == 3 and plan.status == "choose OPTIMAL, place OPTIMAL"
    assert violations(p.fair, as_meetings(p, plan.placed)) == []
    assert sorted(plan.placed) == [(0, 1), (1, 0), (2, 1)]
