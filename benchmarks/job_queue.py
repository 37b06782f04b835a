"""The job queue measured: the project's table queue (matcher.jobs, on SQLite) beside huey's SqliteHuey
(the maintained library considered), same machine, same run. Per queue: enqueue time per job and jobs
per second for N no-op jobs run by one worker thread.

    python benchmarks/job_queue.py [--jobs 200]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

from serverkit import percentiles

from matcher.embeddings import HashingEmbedder
from matcher.jobs import submit
from matcher.jobs.runner import JobEnvironment, JobRunner
from matcher.profiles import load_profile
from matcher.store import Store


def table_queue(folder: Path, n: int) -> dict[str, object]:
    db = str(folder / "table.db")
    store = Store(db)
    started: dict[str, float] = {}
    queued: dict[str, float] = {}

    def noop(ctx):  # type: ignore[no-untyped-def]
        started[ctx.job_id] = time.perf_counter()
        return {}

    env = JobEnvironment(db, load_profile("default"), HashingEmbedder())
    runner = JobRunner(env, {"evaluation": noop}, threads=1, poll=0.05)
    enqueue = []
    t0 = time.perf_counter()
    for i in range(n):
        a = time.perf_counter()
        job_id = submit(store, "evaluation", {"i": i})
        queued[job_id] = time.perf_counter()
        enqueue.append(queued[job_id] - a)
    runner.start()
    while len(started) < n or store.jobs(state="running") or store.jobs(state="queued"):
        time.sleep(0.01)
    total = time.perf_counter() - t0
    runner.stop()
    store.close()
    return {"enqueue": percentiles(enqueue), "jobs_per_s": round(n / total, 1)}


def huey_queue(folder: Path, n: int) -> dict[str, object]:
    from huey import SqliteHuey

    huey = SqliteHuey(filename=str(folder / "huey.db"))
    started: dict[int, float] = {}

    @huey.task()
    def noop(i: int) -> None:
        started[i] = time.perf_counter()

    queued, enqueue = {}, []
    t0 = time.perf_counter()
    for i in range(n):
        a = time.perf_counter()
        noop(i)
        queued[i] = time.perf_counter()
        enqueue.append(queued[i] - a)
    def work() -> None:  # what a huey consumer's worker does: dequeue, execute (no signals outside main thread)
        while len(started) < n:
            task = huey.dequeue()
            if task is None:
                time.sleep(0.05)
            else:
                huey.execute(task)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join()
    total = time.perf_counter() - t0
    return {"enqueue": percentiles(enqueue), "jobs_per_s": round(n / total, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = {"table queue (matcher.jobs, SQLite)": table_queue(Path(tmp), args.jobs),
                "huey SqliteHuey (baseline)": huey_queue(Path(tmp), args.jobs)}
    print(f"{args.jobs} no-op jobs, one worker thread, all enqueued before the worker starts")
    for name, r in rows.items():
        e = r["enqueue"]
        print(f"{name:36} enqueue p50 {e['p50_ms']} ms p99 {e['p99_ms']} ms | jobs/s {r['jobs_per_s']}")


if __name__ == "__main__":
    main()
