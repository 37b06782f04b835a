"""Background job rows: the queue, their progress and results (see matcher.jobs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matcher.errors import NotFoundError
from matcher.store.db import now

if TYPE_CHECKING:
    from matcher.store.db import Database

JOB_COLUMNS = ("job_id", "kind", "state", "progress", "message", "params", "result", "error", "key_id", "role",
               "created_at", "started_at", "finished_at", "owner", "heartbeat")
JOBS_CHANNEL = "matcher_jobs"


class JobRepository:
    db: Database

    def insert_job(self, job_id: str, kind: str, params: str, payload: bytes | None,
                   actor: tuple[str | None, str]) -> None:
        """Queue a job; ``params`` is its JSON text (canonical: equal work has equal text)."""
        with self.db.transaction():
            self.db.execute("INSERT INTO jobs (job_id, kind, state, progress, params, payload, key_id, role, "
                            "created_at) VALUES (?, ?, 'queued', 0, ?, ?, ?, ?, ?)",
                            (job_id, kind, params, payload, actor[0], actor[1], now()))
            self.db.notify(JOBS_CHANNEL, job_id)

    def get_job(self, job_id: str) -> dict[str, Any]:
        row = self.db.one(f"SELECT {', '.join(JOB_COLUMNS)} FROM jobs WHERE job_id = ?", (job_id,))
        if row is None:
            raise NotFoundError("job", job_id)
        return dict(zip(JOB_COLUMNS, row, strict=True))

    def find_job(self, kind: str, params: str, states: tuple[str, ...]) -> dict[str, Any] | None:
        """The newest job of this kind with these exact parameters in one of ``states``."""
        marks = ", ".join("?" * len(states))
        row = self.db.one(f"SELECT {', '.join(JOB_COLUMNS)} FROM jobs WHERE kind = ? AND params = ? AND state IN "
                          f"({marks}) ORDER BY created_at DESC, job_id LIMIT 1", (kind, params, *states))
        return dict(zip(JOB_COLUMNS, row, strict=True)) if row else None

    def job_payload(self, job_id: str) -> bytes | None:
        row = self.db.one("SELECT payload FROM jobs WHERE job_id = ?", (job_id,))
        return bytes(row[0]) if row and row[0] is not None else None

    def jobs(self, state: str | None = None, kind: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.db.all(f"SELECT {', '.join(JOB_COLUMNS)} FROM jobs WHERE (? IS NULL OR state = ?) AND "
                           "(? IS NULL OR kind = ?) ORDER BY created_at DESC, job_id LIMIT ?",
                           (state, state, kind, kind, limit))
        return [dict(zip(JOB_COLUMNS, r, strict=True)) for r in rows]

    def claim_job(self, owner: str, stamp: float) -> str | None:
        """Take the oldest queued job for ``owner`` (one claimant wins); its id, or None."""
        with self.db.transaction():
            row = self.db.one("SELECT job_id FROM jobs WHERE state = 'queued' ORDER BY created_at, job_id LIMIT 1"
                              + (" FOR UPDATE SKIP LOCKED" if self.db.dialect == "postgresql" else ""))
            if row is None:
                return None
            self.db.execute("UPDATE jobs SET state = 'running', owner = ?, heartbeat = ?, started_at = ? "
                            "WHERE job_id = ?", (owner, stamp, now(), row[0]))
            return str(row[0])

    def job_progress(self, job_id: str, progress: int, message: str | None, stamp: float) -> None:
        self.db.execute("UPDATE jobs SET progress = ?, message = ?, heartbeat = ? WHERE job_id = ? "
                        "AND state = 'running'", (progress, message, stamp, job_id))

    def heartbeat_jobs(self, owner: str, stamp: float) -> None:
        self.db.execute("UPDATE jobs SET heartbeat = ? WHERE owner = ? AND state = 'running'", (stamp, owner))

    def finish_job(self, job_id: str, result: str | None, error: str | None) -> bool:
        """Done (``result``) or failed (``error``); False when the job was no longer running (reaped)."""
        state = "failed" if error is not None else "done"
        cur = self.db.execute("UPDATE jobs SET state = ?, progress = CASE WHEN ? = 'done' THEN 100 ELSE progress "
                              "END, result = ?, error = ?, finished_at = ?, payload = NULL WHERE job_id = ? "
                              "AND state = 'running'", (state, state, result, error, now(), job_id))
        return bool(cur.rowcount)

    def running_jobs(self) -> list[tuple[str, str | None, float | None]]:
        """(job_id, owner, heartbeat) of every running job."""
        return [(str(a), b, c) for a, b, c in self.db.all("SELECT job_id, owner, heartbeat FROM jobs "
                                                          "WHERE state = 'running'")]

    def queued_jobs(self, kind: str) -> list[tuple[str, str]]:
        """(job_id, params) of the queued jobs of ``kind``, oldest first."""
        rows = self.db.all("SELECT job_id, params FROM jobs WHERE kind = ? AND state = 'queued' "
                           "ORDER BY created_at, job_id", (kind,))
        return [(str(a), str(b)) for a, b in rows]

    def cancel_queued_job(self, job_id: str, reason: str) -> bool:
        """Mark a job that has not started failed with ``reason``; False if a runner claimed it meanwhile."""
        cur = self.db.execute("UPDATE jobs SET state = 'failed', error = ?, finished_at = ?, payload = NULL "
                              "WHERE job_id = ? AND state = 'queued'", (reason, now(), job_id))
        return bool(cur.rowcount)

    def fail_job(self, job_id: str, reason: str) -> bool:
        """Mark a running job failed (its process died); False if it finished meanwhile."""
        cur = self.db.execute("UPDATE jobs SET state = 'failed', error = ?, finished_at = ?, payload = NULL "
                              "WHERE job_id = ? AND state = 'running'", (reason, now(), job_id))
        return bool(cur.rowcount)
