"""What a job is, as the API shows it, and how one is queued."""

from __future__ import annotations

import json
import secrets
from typing import Any, Literal

from pydantic import BaseModel, Field

from matcher.store import Store

JOB_KINDS = ("import_suppliers", "plan_fair", "evaluation")
JobState = Literal["queued", "running", "done", "failed"]
# A new job of these kinds makes obsolete the queued ones agreeing with it on these parameters: an evaluation
# asked for after a supplier change supersedes the one still waiting for the old suppliers, so a team
# editing suppliers while an evaluator watches does not queue one stale evaluation per change.
SUPERSEDES: dict[str, tuple[str, ...]] = {"evaluation": ("profile",)}


class Job(BaseModel):
    """A background job: poll ``GET /api/v1/jobs/{job_id}`` until ``state`` is done or failed."""

    job_id: str
    kind: str
    state: JobState
    progress: int = Field(ge=0, le=100, description="percent done")
    message: str | None = Field(default=None, description="what the job is doing now")
    result: dict[str, Any] | None = Field(default=None, description="when done: the job's result")
    error: str | None = Field(default=None, description="when failed: why (nothing was written)")
    details: list[dict[str, Any]] = Field(default=[], description="when failed on bad input: each problem's "
                                          "field, message and row")
    role: str | None = None
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None


def job_view(row: dict[str, Any]) -> Job:
    result = json.loads(row["result"]) if row["result"] else None
    failed = row["state"] == "failed"
    return Job(job_id=row["job_id"], kind=row["kind"], state=row["state"], progress=row["progress"],
               message=row["message"], result=None if failed else result, error=row["error"],
               details=(result or {}).get("details", []) if failed else [], role=row["role"],
               created_at=row["created_at"], started_at=row["started_at"],
               finished_at=row["finished_at"])


def params_text(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, ensure_ascii=False)


def submit(store: Store, kind: str, params: dict[str, Any], payload: bytes | None = None) -> str:
    """Queue a job for ``store.actor``; returns its id (runners are woken by NOTIFY or their poll)."""
    if kind not in JOB_KINDS:
        raise ValueError(f"unknown job kind {kind}")
    job_id = f"job-{secrets.token_hex(8)}"
    store.insert_job(job_id, kind, params_text(params), payload, store.actor)
    same = SUPERSEDES.get(kind)
    if same is not None:
        for old_id, old_params in store.queued_jobs(kind):
            old = json.loads(old_params)
            if old_id != job_id and all(old.get(k) == params.get(k) for k in same):
                store.cancel_queued_job(old_id, f"superseded by job {job_id}, asked for after a change: it "
                                        "computes the current figures")
    return job_id
