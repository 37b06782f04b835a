"""An upper bound on every valid timetable: the count relaxation, solved exactly as a min-cost flow.

Drop the slots and keep the counts: each person meets at most their limit (already lowered to
their free slots), each pair at most once, the hall holds at most tables x slots meetings, must-
meets happen, and a meeting counts towards a target while the person is below it. Every valid
timetable satisfies these counts, so the best counts are worth at least as much as the best
timetable. Over all pairs (not only the candidates) this is a bipartite b-matching with concave
target rewards: a min-cost flow, whose integral optimum OR-Tools finds exactly in well under a
second for a few hundred thousand pairs. Values enter as whole millionths rounded *up*, so the
bound can only be higher than the exact relaxation, never lower.
"""

from __future__ import annotations

import math

import numpy as np

from matcher.fair.problem import Problem
from matcher.fair.timetable import SHORTFALL_PENALTY

SCALE = 1_000_000  # values in millionths


def scaled(values: np.ndarray) -> np.ndarray:
    """Values as whole millionths, rounded up (a bound built on them stays a bound)."""
    return np.ceil(values * SCALE - 1e-6).astype(np.int64)


def count_relaxation(problem: Problem) -> tuple[float, np.ndarray]:
    """(upper bound on the objective of every valid timetable, the pairs of one best count plan)."""
    from ortools.graph.python import min_cost_flow

    n_b, n_s = len(problem.buyers), len(problem.suppliers)
    source, sink = 0, 1
    b_node, s_node = 2 + np.arange(n_b), 2 + n_b + np.arange(n_s)
    penalty = round(SHORTFALL_PENALTY * SCALE)
    cost = -scaled(problem.value)
    must = problem.must
    hall = problem.fair.tables * len(problem.slots)
    # Arcs: source -> buyer twice (the part of the limit up to the target earns the penalty back),
    # buyer -> supplier per pair, supplier -> sink twice likewise, and source -> sink for unused hall.
    tails: list[np.ndarray] = [np.full(n_b, source), np.full(n_b, source), b_node[problem.pair_b], s_node, s_node,
                               np.array([source])]
    heads: list[np.ndarray] = [b_node, b_node, s_node[problem.pair_s], np.full(n_s, sink), np.full(n_s, sink),
                               np.array([sink])]
    caps: list[np.ndarray] = [problem.buyer_target, problem.buyer_cap - problem.buyer_target, (~must).astype(np.int64),
                              problem.supplier_target, problem.supplier_cap - problem.supplier_target, np.array([hall])]
    costs: list[np.ndarray] = [np.full(n_b, -penalty), np.zeros(n_b), cost, np.full(n_s, -penalty), np.zeros(n_s),
                               np.array([0])]
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32), np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64), np.concatenate(costs).astype(np.int64))
    # A must-meet is an arc with lower bound 1: its unit is taken out of the arc and given to the
    # ends as demand (buyer) and supply (supplier), so it still uses both people's limits.
    supply = np.zeros(2 + n_b + n_s, dtype=np.int64)
    supply[source], supply[sink] = hall, -hall
    np.subtract.at(supply, b_node[problem.pair_b[must]], 1)
    np.add.at(supply, s_node[problem.pair_s[must]], 1)
    flow.set_nodes_supplies(np.arange(len(supply), dtype=np.int32), supply)
    status = flow.solve()
    if status != flow.OPTIMAL:  # the must-meet checks make this unreachable; say so rather than guess
        raise RuntimeError(f"count relaxation not solved (min-cost flow status {status})")
    pair_arcs = arcs[2 * n_b: 2 * n_b + problem.n_pairs]
    chosen = np.flatnonzero((flow.flows(pair_arcs) > 0) | must)
    total = -(flow.optimal_cost() + int(cost[must].sum()))
    bound = total / SCALE - SHORTFALL_PENALTY * float(problem.buyer_target.sum() + problem.supplier_target.sum())
    return math.nextafter(bound, math.inf), chosen
