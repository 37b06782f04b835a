"""Runner threads: claim queued jobs, run them on their own connection, report progress and heartbeats,
and mark failed the jobs of processes that died (kill -9, power loss) with that reason."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from matcher.embeddings import Embedder
from matcher.engine import Engine
from matcher.errors import MatcherError
from matcher.index import IndexCache
from matcher.profiles import Profile
from matcher.store import Store
from matcher.store.db import is_postgres
from matcher.store.jobs import JOBS_CHANNEL

log = logging.getLogger("matcher.jobs")
HEARTBEAT_SECONDS = 2.0
STALE_SECONDS = 30.0  # a running job whose heartbeat is older than this has lost its process


@dataclass
class JobEnvironment:
    """What jobs run with: the process's database, profile, model and index (warmed by imports)."""

    database: str
    profile: Profile
    embedder: Embedder
    indexes: IndexCache = field(default_factory=IndexCache)
    settings: dict[str, Any] = field(default_factory=dict)


class JobContext:
    """One running job: its parameters, payload and store; ``progress`` reports and heartbeats."""

    def __init__(self, env: JobEnvironment, store: Store, row: dict[str, Any], payload: bytes | None) -> None:
        import json

        self.env, self.store, self.job_id = env, store, row["job_id"]
        self.params: dict[str, Any] = json.loads(row["params"])
        self.payload = payload
        self.finished = False

    def progress(self, percent: float, message: str | None = None) -> None:
        self.store.job_progress(self.job_id, max(0, min(99, int(percent))), message, time.time())

    def engine(self, progress: Callable[[int, str], Any] | None = None) -> Engine:
        env = self.env
        return Engine(self.store, profile=env.profile, embedder=env.embedder, indexes=env.indexes, progress=progress)

    def finish(self, result: dict[str, Any]) -> None:
        """Mark the job done; inside the handler's write transaction, so data and state commit together."""
        import json

        self.store.finish_job(self.job_id, json.dumps(result, ensure_ascii=False), None)
        self.finished = True

    @contextmanager
    def ticking(self, start: float, end: float, seconds: float, message: str) -> Iterator[None]:
        """Advance progress from ``start`` to ``end`` over ``seconds`` (a solver's time limit) while inside."""
        stop = threading.Event()
        store = Store(self.env.database, migrate=False)

        def tick() -> None:
            began = time.monotonic()
            while not stop.wait(1.0):
                done = min(1.0, (time.monotonic() - began) / max(seconds, 0.1))
                store.job_progress(self.job_id, int(start + (end - start) * done), message, time.time())

        self.progress(start, message)
        thread = threading.Thread(target=tick, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            store.close()


Handler = Callable[[JobContext], dict[str, Any] | None]


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child not yet waited for is a zombie: dead for our purpose
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


class JobRunner:
    """``threads`` job threads plus a heartbeat/reaper thread (and a LISTEN thread on PostgreSQL)."""

    def __init__(self, env: JobEnvironment, handlers: dict[str, Handler], threads: int = 1, poll: float = 1.0,
                 stale: float = STALE_SECONDS) -> None:
        self.env, self.handlers, self.threads, self.poll, self.stale = env, handlers, threads, poll, stale
        self.host, self.pid = socket.gethostname(), os.getpid()
        self.owner = f"{self.host}:{self.pid}:{secrets.token_hex(4)}"
        self._wake, self._stop = threading.Event(), threading.Event()
        self._workers: list[threading.Thread] = []

    # -- lifecycle ----------------------------------------------------------
    def start(self) -> JobRunner:
        self.reap()
        targets: list[Callable[[], None]] = [self._work] * self.threads + [self._beat]
        if is_postgres(self.env.database):
            targets.append(self._listen)
        for target in targets:
            thread = threading.Thread(target=target, daemon=True, name="matcher-jobs")
            thread.start()
            self._workers.append(thread)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._workers:
            thread.join(timeout)

    def wake(self) -> None:
        self._wake.set()

    # -- threads ------------------------------------------------------------
    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_once()
            except Exception:  # the database went away for a moment: retry after the poll interval
                log.exception("job runner")
                ran = False
            if not ran:
                self._wake.wait(self.poll)
                self._wake.clear()

    def _beat(self) -> None:
        last_reap = 0.0
        while not self._stop.wait(HEARTBEAT_SECONDS):
            try:
                store = Store(self.env.database, migrate=False)
                try:
                    store.heartbeat_jobs(self.owner, time.time())
                finally:
                    store.close()
                if time.monotonic() - last_reap > self.stale / 3:
                    self.reap()
                    last_reap = time.monotonic()
            except Exception:
                log.exception("job heartbeat")

    def _listen(self) -> None:
        from matcher.store.pg import listen

        while not self._stop.is_set():
            try:
                listen(self.env.database, [JOBS_CHANNEL], lambda _c, _p: self._wake.set(), self._stop.is_set)
            except Exception:
                log.exception("job LISTEN")
                self._stop.wait(self.poll)

    # -- one job --------------------------------------------------------------
    def run_once(self) -> bool:
        """Claim and run one queued job; False when there was none."""
        store = Store(self.env.database, migrate=False)
        try:
            job_id = store.claim_job(self.owner, time.time())
            if job_id is None:
                return False
            row = store.get_job(job_id)
            store.actor = (row["key_id"], row["role"] or "job")
            ctx = JobContext(self.env, store, row, store.job_payload(job_id))
            self._run(ctx, row["kind"])
            return True
        finally:
            store.close()

    def _run(self, ctx: JobContext, kind: str) -> None:
        import json

        try:
            result = self.handlers[kind](ctx)
            if not ctx.finished:
                ctx.store.finish_job(ctx.job_id, json.dumps(result or {}, ensure_ascii=False), None)
        except MatcherError as exc:
            problems = [{"field": p.field, "message": p.message, "row": p.row} for p in getattr(exc, "problems", [])]
            ctx.store.finish_job(ctx.job_id, json.dumps({"details": problems}, ensure_ascii=False) if problems
                                 else None, str(exc))
        except Exception:
            log.exception("job %s (%s) failed", ctx.job_id, kind)
            ctx.store.finish_job(ctx.job_id, None, "internal error; the incident was logged and nothing was written")

    # -- the dead ------------------------------------------------------------
    def reap(self) -> list[str]:
        """Mark failed the running jobs whose process is gone (same host) or silent for ``stale`` seconds."""
        store = Store(self.env.database, migrate=False)
        failed = []
        try:
            for job_id, owner, beat in store.running_jobs():
                host, _, rest = (owner or "::").partition(":")
                pid_text = rest.partition(":")[0]
                if owner == self.owner:
                    continue
                dead = host == self.host and pid_text.isdigit() and not pid_alive(int(pid_text))
                silent = beat is None or time.time() - float(beat) > self.stale
                if dead or silent:
                    why = ("its server process stopped" if dead else
                           f"no heartbeat from its server process for over {self.stale:g} s")
                    if store.fail_job(job_id, f"the job was interrupted ({why}); nothing it was writing was kept: "
                                      "run it again"):
                        failed.append(job_id)
        finally:
            store.close()
        if failed:
            log.warning("marked interrupted jobs failed: %s", ", ".join(failed))
        return failed
