"""Background jobs: sheet imports, fair plans and evaluation runs, queued in the database.

A job is a row (matcher.store.jobs): queued, running (with a progress percentage, a message
and a heartbeat), then done (its result) or failed (its reason). :class:`~matcher.jobs.runner.JobRunner`
threads in each server process claim queued jobs (one claimant wins; PostgreSQL uses
``FOR UPDATE SKIP LOCKED``) and run them on their own database connection. A job writes its
data in one transaction, so a process killed mid-job leaves nothing half-written; the job is
then marked failed with that reason by the next runner that sees it (its process is gone, or
its heartbeat stopped). Why a table and not huey or RQ: docs/decisions/jobs.md.
"""

from matcher.jobs.model import JOB_KINDS, Job, job_view, submit

__all__ = ["JOB_KINDS", "Job", "job_view", "submit"]
