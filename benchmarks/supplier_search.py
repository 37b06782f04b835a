"""Supplier search: ranked token search (matcher.catalogue) beside the phrase search it replaced.

Catalogue: data/suppliers.csv repeated to N suppliers (new ids). Reports, per query, how many of the
sample's suppliers each finds (the six Constantine workshops that hammer copper are the target of
"cuivre martelé") and the time per search once the index is built (median of 20), with the time to
build the index apart.

    python benchmarks/supplier_search.py [--suppliers 5000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from matcher.catalogue import TextIndex, _folded, search_suppliers
from matcher.io.importer import validate_file
from matcher.textnorm import fold

DATA = Path(__file__).resolve().parent.parent / "data"
QUERIES = ["cuivre martelé", "martelé cuivre", "bracelets argent", "braclets argent", "نحاس", "lanternes laiton"]


def phrase_search(suppliers, q):
    """The search before (with its cached folding): one folded phrase over id, name, description, products."""
    needle = fold(q)
    return [s for s in suppliers if needle in _folded(" ".join([s.supplier_id, s.name, s.description, *s.products]))]


def median_time(fn, repeats: int = 20) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=5000)
    args = parser.parse_args()
    sample = [m for _, m in validate_file(DATA / "suppliers.csv", "supplier").valid]
    big = [s.model_copy(update={"supplier_id": f"{s.supplier_id}-{i}"})
           for i in range(args.suppliers // len(sample) + 1) for s in sample][:args.suppliers]
    t = time.perf_counter()
    TextIndex(big)
    print(f"index of {len(big)} suppliers built in {time.perf_counter() - t:.3f} s (once per catalogue content)")
    search_suppliers(big, "warm")
    print(f"{'query':20} {'found (sample of 42)':>22} {'phrase before':>14} {'ms ranked':>10} {'ms phrase':>10}")
    for q in QUERIES:
        ranked = search_suppliers(sample, q)
        before = phrase_search(sample, q)
        t_new = median_time(lambda q=q: search_suppliers(big, q)) * 1000
        t_old = median_time(lambda q=q: phrase_search(big, q), 5) * 1000
        print(f"{q:20} {len(ranked):>22} {len(before):>14} {t_new:10.1f} {t_old:10.1f}")


if __name__ == "__main__":
    main()
