"""Background jobs: progress, all-or-nothing writes, and what a kill -9 of the server leaves (a real
subprocess server, on SQLite or on PostgreSQL per tests/dbs.py)."""

import os
import signal
import time

import requests
from serverkit import free_port, keys_for, sheet, start_server

from matcher.jobs import submit
from matcher.jobs.runner import JobEnvironment, JobRunner
from matcher.jobs.tasks import HANDLERS
from matcher.store import Store
from tests.conftest import HEADER, auth
from tests.dbs import database_url


def _runner(store, fake_embedder) -> JobRunner:
    from matcher.profiles import load_profile

    env = JobEnvironment(store.path, load_profile("default"), fake_embedder)
    return JobRunner(env, HANDLERS, threads=1)


def test_an_import_job_reports_progress_and_writes_all_at_once(store, fake_embedder):
    store.actor = ("k1", "team")
    job_id = submit(store, "import_suppliers", {"file": "s.csv", "strict": False, "public_columns": ["phone"]},
                    sheet(300))
    runner = _runner(store, fake_embedder)
    assert runner.run_once() and not runner.run_once()
    job = store.get_job(job_id)
    assert job["state"] == "done" and job["progress"] == 100 and job["owner"] == runner.owner
    assert store.count_suppliers() == 300 and store.public_columns() == ["phone"]
    assert store.job_payload(job_id) is None  # the upload is not kept once done
    audit = store.audit_entries("supplier", "GEN-000007")
    assert [(a["key_id"], a["role"], a["action"]) for a in audit] == [("k1", "team", "create")]


def test_a_strict_import_with_a_bad_row_fails_and_writes_nothing(store, fake_embedder):
    bad = (HEADER + "\nS-1,Atelier,DZ,bracelets,bracelets,10,20,5,9,\nS-2,Atelier,DZ,x,x,ten,20,5,9,\n").encode()
    job_id = submit(store, "import_suppliers", {"file": "s.csv", "strict": True}, bad)
    _runner(store, fake_embedder).run_once()
    job = store.get_job(job_id)
    assert job["state"] == "failed" and "row 3" in job["error"] and store.count_suppliers() == 0


def test_jobs_of_a_dead_process_are_marked_failed_with_the_reason(store, fake_embedder):
    job_id = submit(store, "import_suppliers", {"file": "s.csv"}, sheet(5))
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    store.claim_job(f"{os.uname().nodename}:{dead}:abcd", time.time())  # as if that process had claimed it
    silent = submit(store, "import_suppliers", {"file": "t.csv"}, sheet(5))
    store.claim_job("elsewhere:1:abcd", time.time() - 3600)  # another host, silent for an hour
    runner = _runner(store, fake_embedder)
    assert sorted(runner.reap()) == sorted([job_id, silent])
    job = store.get_job(job_id)
    assert job["state"] == "failed" and job["error"] == ("the job was interrupted (its server process stopped); "
                                                         "nothing it was writing was kept: run it again")
    assert "no heartbeat" in store.get_job(silent)["error"] and store.job_payload(job_id) is None


def _wait_state(base, job_id, headers, states, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = requests.get(f"{base}/api/v1/jobs/{job_id}", headers=headers, timeout=10).json()
        if job["state"] in states:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not {states} after {timeout} s: {job}")


def test_kill_9_during_an_import_leaves_nothing_half_written(tmp_path):
    db = database_url(tmp_path, "kill.db")
    Store(db).close()
    keys, port = keys_for(db), free_port()
    base, h = f"http://127.0.0.1:{port}", auth(keys["team"])
    server = start_server(db, port)
    try:
        r = requests.post(f"{base}/api/v1/suppliers/import", files={"file": ("big.csv", sheet(4000))},
                          headers=h, timeout=60)
        job = _wait_state(base, r.json()["job_id"], h, ("running", "done"))
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        with_store = Store(db)
        count = with_store.count_suppliers()
        with_store.close()
        assert count in (0, 4000)  # all or nothing, whenever the kill came
        server = start_server(db, port)  # a restart marks the interrupted job failed, visibly
        after = _wait_state(base, job["job_id"], h, ("done", "failed"), timeout=30)
        assert (after["state"], count) in (("failed", 0), ("done", 4000))
        if after["state"] == "failed":
            assert "interrupted" in after["error"]
        again = requests.post(f"{base}/api/v1/suppliers/import", files={"file": ("big.csv", sheet(4000))},
                              headers=h, timeout=60).json()
        assert _wait_state(base, again["job_id"], h, ("done", "failed"), timeout=120)["state"] == "done"
        assert requests.get(f"{base}/healthz", timeout=10).json()["suppliers"] == 4000
    finally:
        server.kill()
        server.wait()


def test_kill_9_during_a_fair_plan_stores_no_plan(tmp_path):
    from serverkit import matcher

    from matcher.fair.definition import load_fair
    from tests.conftest import DATA

    db = database_url(tmp_path, "fair.db")
    matcher(db, "import", "suppliers", str(DATA / "suppliers.csv"))
    matcher(db, "import", "requests", str(DATA / "requests.jsonl"))
    keys, port = keys_for(db), free_port()
    base, h = f"http://127.0.0.1:{port}", auth(keys["team"])
    fair = load_fair(DATA / "fair" / "batna-constantine-2027.yaml").model_dump(mode="json")
    server = start_server(db, port)
    try:
        r = requests.post(f"{base}/api/v1/fairs?time_limit=30", json=fair, headers=h, timeout=60)
        job = _wait_state(base, r.json()["job_id"], h, ("running",))
        os.kill(server.pid, signal.SIGKILL)  # while scoring or searching
        server.wait()
        server = start_server(db, port)
        after = _wait_state(base, job["job_id"], h, ("done", "failed"), timeout=30)
        plans = requests.get(f"{base}/api/v1/fairs", headers=h, timeout=10).json()["plans"]
        assert (after["state"], len(plans)) in (("failed", 0), ("done", 1)), after  # a plan with its job, or none
        assert after["state"] == "failed" and "interrupted" in after["error"]  # killed while running here
    finally:
        server.kill()
        server.wait()


def test_a_new_evaluation_supersedes_the_queued_one_for_older_suppliers(store):
    """Found by the soak: an evaluator asking each second while the team edits queued one evaluation per
    supplier change, and imports waited behind them. Only queued jobs of the same profile are superseded."""
    running = submit(store, "evaluation", {"profile": "default@1", "suppliers_version": 1})
    assert store.claim_job("here:1:abcd", time.time()) == running
    stale = submit(store, "evaluation", {"profile": "default@1", "suppliers_version": 2})
    other = submit(store, "evaluation", {"profile": "other@1", "suppliers_version": 2})
    imported = submit(store, "import_suppliers", {"file": "s.csv"}, sheet(5))
    newest = submit(store, "evaluation", {"profile": "default@1", "suppliers_version": 3})
    states = {j: store.get_job(j)["state"] for j in (running, stale, other, imported, newest)}
    assert states == {running: "running", stale: "failed", other: "queued", imported: "queued", newest: "queued"}
    assert store.get_job(stale)["error"] == (f"superseded by job {newest}, asked for after a change: it computes "
                                             "the current figures")
    assert sorted(store.queued_jobs("evaluation")) == sorted([
        (other, '{"profile": "other@1", "suppliers_version": 2}'),
        (newest, '{"profile": "default@1", "suppliers_version": 3}')])  # stamped in the same second: any order
