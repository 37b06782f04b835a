"""Background jobs (imports, fair plans, evaluation runs) and the audit trail."""

from __future__ import annotations

from typing import Annotated, Literal

from flask import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from matcher.bounds import AUDIT_LIMIT
from matcher.errors import NotFoundError
from matcher.jobs import Job, job_view

from ..auth import authorize
from ..contract import operation
from ..db import get_db
from ..params import _bounds, _int_between
from . import READERS, TEAM

bp = Blueprint("jobs", __name__, url_prefix="/api/v1")
AuditLimit = Annotated[int, _int_between(*AUDIT_LIMIT), _bounds("integer", *AUDIT_LIMIT)]
AuditBefore = Annotated[int, _int_between(1, 2**62), _bounds("integer", 1, 2**62)]


class JobList(BaseModel):
    jobs: list[Job]


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: Literal["supplier", "request", "meeting_request"] | None = None
    record_id: str | None = Field(default=None, max_length=100, description="one supplier_id or request_id")
    limit: AuditLimit = 100
    before: AuditBefore | None = Field(default=None, description="entries older than this entry_id (paging)")


class AuditEntry(BaseModel):
    entry_id: int
    at: str = Field(description="UTC, ISO 8601")
    key_id: str | None = Field(description="the API key that made the change (none: the command line)")
    role: str
    action: Literal["create", "change", "delete", "answer", "withdraw", "override"]
    kind: Literal["supplier", "request", "meeting_request"]
    record_id: str = Field(description="'*' when the whole catalogue was emptied")
    detail: str | None = Field(default=None, description="what changed, when the action alone does not say "
                               "(the fields a supplier edited on its own profile; a meeting request's new state)")


class AuditTrail(BaseModel):
    entries: list[AuditEntry] = Field(description="newest first")


@operation(bp, "/jobs/<job_id>", "GET", roles=READERS, responses={200: Job}, errors=(404,))
def get_job(job_id: str) -> Job:
    """A background job: its state, progress, and result or reason for failing (the team sees every job,
    others their own)."""
    who = authorize(READERS)
    row = get_db().get_job(job_id)
    if who.role != "team" and row["key_id"] != who.key_id:
        raise NotFoundError("job", job_id)
    return job_view(row)


@operation(bp, "/jobs", "GET", roles=TEAM, responses={200: JobList})
def list_jobs() -> JobList:
    """The 100 newest background jobs."""
    return JobList(jobs=[job_view(r) for r in get_db().jobs()])


@operation(bp, "/audit", "GET", query=AuditQuery, roles=TEAM, responses={200: AuditTrail})
def audit(query: AuditQuery) -> AuditTrail:
    """Who (API key and role) created, changed or deleted which supplier or request, and when."""
    rows = get_db().audit_entries(query.kind, query.record_id, query.limit, query.before)
    return AuditTrail(entries=[AuditEntry.model_validate(r) for r in rows])
