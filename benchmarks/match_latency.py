"""Match latency for one request against 1k, 10k and 100k synthetic suppliers.

Embeddings are cached (random unit vectors stand in for stored ones), so the
figures are scoring + ranking + explaining the top 10. The naive row-by-row
scorer (benchmarks/naive_scorer.py) runs in the same process as the baseline.

    python benchmarks/match_latency.py [--sizes 1000 10000 100000] [--repeat 30]

Target: 100k suppliers under 50 ms median on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from naive_scorer import naive_totals

from matcher.explain import build_match
from matcher.factors import RequestContext
from matcher.features import request_features, supplier_features
from matcher.index import SupplierIndex
from matcher.profiles import load_profile
from matcher.ranking import effective_weights
from matcher.schema import BuyerRequest, Supplier
from matcher.scoring import score

PRODUCTS = ["boucles d'oreilles", "bracelets", "colliers", "fibules", "bagues", "plateaux", "cafetières",
            "lanternes", "casseroles", "théières", "tapis", "paniers"]
CERTS = ["WFTO", "poinçon de garantie", "REACH nickel", "ISO 9001", "marquage CE", "contact alimentaire",
         "Nest Seal", "Label local"]
PRACTICES = ["argent recyclé", "women-led", "fair wages", "sans plomb", "emballage sans plastique"]
COUNTRIES = ["DZ", "TN", "MA", "EG"]


def synthetic(n: int, seed: int = 7) -> list[Supplier]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        lo = float(rng.integers(2, 200))
        out.append(Supplier.model_construct(
            supplier_id=f"SYN-{i:06d}", name=f"Atelier {i}", country=COUNTRIES[i % 4], region=None, cluster=None,
            description="synthetic", products=list(rng.choice(PRODUCTS, size=2, replace=False)), hs_codes=[],
            materials=["argent"] if i % 2 else ["cuivre"], techniques=[],
            monthly_capacity=int(rng.integers(5, 6000)), min_order_qty=int(rng.integers(1, 500)),
            lead_time_days=int(rng.integers(5, 120)), price_min_eur=lo, price_max_eur=lo * 2,
            certifications=list(rng.choice(CERTS, size=int(rng.integers(0, 3)), replace=False)),
            sustainability=list(rng.choice(PRACTICES, size=int(rng.integers(0, 3)), replace=False)),
            export_markets=["FR", "DE"][: int(rng.integers(0, 3))], languages=["fr", "ar"], employees=None,
            customization=bool(i % 3), samples=bool(i % 5), contact_email=None, extra={},
        ))
    return out


REQUEST = BuyerRequest(
    buyer_name="Bench", description="Boucles d'oreilles et bracelets en argent recyclé", products=["earrings"],
    materials=["silver"], quantity=400, max_lead_time_days=60, max_unit_price_eur=40, buyer_country="FR",
    required_certifications=["poinçon"], preferred_certifications=["REACH nickel", "WFTO"],
    sustainability=["recycled silver", "women-led"], customization_required=True,
)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--naive-repeat", type=int, default=3)
    args = parser.parse_args()

    profile = load_profile()
    weights = effective_weights(profile.weights, None)
    rf = request_features(REQUEST)
    dim = 512
    print(f"# match latency, embeddings cached; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, numpy {np.__version__}")
    print(f"{'suppliers':>10} {'fit s':>7} {'median ms':>10} {'p95 ms':>8} {'naive median ms':>16} {'speed-up':>9}")
    for n in args.sizes:
        rng = np.random.default_rng(n)
        vectors = rng.standard_normal((n, dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        qvec = vectors[0] * 0.5 + rng.standard_normal(dim).astype(np.float32) * 0.05
        qvec /= np.linalg.norm(qvec)
        t0 = time.perf_counter()
        index = SupplierIndex().fit(synthetic(n), vectors)
        fit_s = time.perf_counter() - t0

        ctx = RequestContext(request=REQUEST, features=rf, vector=qvec, semantic_bounds=(0.1, 0.6),
                             window_days=float(REQUEST.max_lead_time_days or profile.default_window_days))

        def once(index: SupplierIndex = index, ctx: RequestContext = ctx) -> None:
            s = score(index, ctx, weights)
            [build_match(s, r, i) for r, i in enumerate(s.rank(10), start=1)]

        once()  # warm-up
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            once()
            times.append((time.perf_counter() - t) * 1000)
        naive = []
        feats = [supplier_features(x) for x in index.suppliers_]
        rows = index.vectors_.tolist()
        for _ in range(args.naive_repeat):
            t = time.perf_counter()
            totals = naive_totals(index.suppliers_, feats, rows, REQUEST, rf, qvec.tolist(), weights, (0.1, 0.6))
            sorted(range(n), key=lambda i: (not totals[i][1], -totals[i][0], i))[:10]
            naive.append((time.perf_counter() - t) * 1000)
        med, naive_med = statistics.median(times), statistics.median(naive)
        print(f"{n:>10} {fit_s:>7.1f} {med:>10.2f} {percentile(times, 95):>8.2f} {naive_med:>16.1f} "
              f"{naive_med / med:>8.0f}x")


if __name__ == "__main__":
    main()
