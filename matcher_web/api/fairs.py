"""Fair plans over HTTP (team; judgments also for evaluators): plan, read, download, record outcomes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, send_file

from matcher.evaluation.data import format_qrels
from matcher.exports.fair import FILES, ICS_MIME_TYPE, MIME_TYPES, render_file
from matcher.fair.definition import FairDefinition
from matcher.fair.model import OutcomeRecord, StoredPlan
from matcher.fair.outcomes import outcome_qrels, record_outcome
from matcher.jobs import Job, job_view, submit

from ..contract import FileResponse, operation
from ..db import get_db
from ..errors import ApiError
from ..models import OutcomeBody, PlanList, PlanQuery
from . import ANALYSTS, TEAM

bp = Blueprint("fairs", __name__, url_prefix="/api/v1/fairs")
FILE_TYPES = tuple(sorted({*MIME_TYPES.values(), ICS_MIME_TYPE}))


def submit_plan(definition: dict[str, Any], time_limit: float, file: str) -> str:
    """Queue the planning of a fair as a background job; its id (shared with the team page)."""
    return submit(get_db(), "plan_fair", {"definition": definition, "time_limit": time_limit, "file": file})


@operation(bp, "", "POST", body=FairDefinition, parse=lambda data: data, query=PlanQuery, roles=TEAM,
           responses={202: Job})
def create_plan(body: dict[str, Any], query: PlanQuery) -> tuple[Job, int]:
    """Plan a fair from its definition (the JSON form of the YAML file) as a background job.

    The body is checked against its schema at once; the job checks the rest (stored requests and
    suppliers, dates, wishes) and fails with every problem named. Poll GET /jobs/{job_id}: when done,
    its result holds plan_id, stats, solver and notes."""
    job_id = submit_plan(body, query.time_limit, "request body")
    return job_view(get_db().get_job(job_id)), 202


@operation(bp, "", "GET", roles=TEAM, responses={200: PlanList})
def plans() -> PlanList:
    """Stored plans."""
    return PlanList(plans=get_db().plans())


@operation(bp, "/<plan_id>", "GET", roles=TEAM, responses={200: StoredPlan}, errors=(404,))
def get_plan(plan_id: str) -> StoredPlan:
    """A plan: meetings, statistics, solver report, recorded outcomes."""
    return get_db().get_plan(plan_id)[1]


@operation(bp, "/<plan_id>/files/<path:name>", "GET", roles=TEAM, responses={200: FileResponse(FILE_TYPES)},
           errors=(404,))
def download(plan_id: str, name: str) -> Response:
    """One export: grid.csv, agendas.csv, plan.xlsx, grid.html, agendas.html, plan.json, ics/<id>.ics."""
    fair, plan = get_db().get_plan(plan_id)
    try:
        body = render_file(plan, name, fair.tables, fair.timezone)
    except KeyError:
        raise ApiError(404, "not_found", f"no file '{name}' in plan {plan_id}; try {', '.join(FILES)} or "
                       "ics/<participant>.ics") from None
    mime = ICS_MIME_TYPE if name.startswith("ics/") else MIME_TYPES[name]
    return send_file(io.BytesIO(body), mimetype=mime, as_attachment=True, download_name=Path(name).name)


@operation(bp, "/<plan_id>/outcomes/<meeting_id>", "PUT", body=OutcomeBody, roles=TEAM,
           responses={200: OutcomeRecord}, errors=(404,))
def put_outcome(plan_id: str, meeting_id: str, body: OutcomeBody) -> OutcomeRecord:
    """Record what came of a meeting."""
    store = get_db()
    record_outcome(store, plan_id, meeting_id, body.outcome, body.note)
    return store.outcomes(plan_id)[meeting_id]


@operation(bp, "/<plan_id>/qrels", "GET", roles=ANALYSTS,
           responses={200: FileResponse(("text/tab-separated-values",), "Graded judgments")}, errors=(404,))
def qrels(plan_id: str) -> Response:
    """Outcomes as graded judgments (TSV), ready for evaluate and tune."""
    store = get_db()
    store.get_plan(plan_id)  # 404 for an unknown plan
    return Response(format_qrels(outcome_qrels(store, plan_id)), mimetype="text/tab-separated-values")
