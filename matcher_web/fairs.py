"""Fair plans over HTTP (team only): plan, fetch, download, record outcomes; and the team's fair pages."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, redirect, request, send_file, url_for

from matcher.errors import FileFormatError, MatcherError
from matcher.evaluation.data import format_qrels
from matcher.exports.fair import FILES, ICS_MIME_TYPE, MIME_TYPES, render_file
from matcher.fair.definition import load_fair, parse_fair
from matcher.fair.model import OUTCOME_GRADES
from matcher.fair.outcomes import outcome_qrels, record_outcome, save_plan
from matcher.fair.plan import plan_fair

from .auth import require
from .errors import ApiError, ErrorDetail, from_matcher_error
from .pagekit import page, render
from .service import json_body, state

bp = Blueprint("fairs", __name__, url_prefix="/api/v1/fairs")
pages_bp = Blueprint("fair_pages", __name__)


@bp.post("")
@require("team")
def create_plan() -> tuple[dict, int]:
    """Plan a fair from its definition (the JSON form of the YAML file)."""
    fair = parse_fair(json_body(), "request body")
    raw = request.args.get("time_limit", "60")
    try:
        limit = float(raw)
    except ValueError:
        limit = -1.0
    if not 1 <= limit <= 600:
        raise ApiError(422, "invalid", f"time_limit must be a number of seconds from 1 to 600 (got '{raw}')",
                       [ErrorDetail(field="time_limit", message="must be from 1 to 600")])
    with state().lock:
        plan = plan_fair(state().engine, fair, limit, 0, file="request body")
        plan_id = save_plan(state().engine.store, fair, plan)
    return {"plan_id": plan_id, "stats": plan.stats, "solver": plan.solver, "notes": plan.notes}, 201


@bp.get("")
@require("team")
def plans() -> dict:
    """Stored plans."""
    with state().lock:
        return {"plans": [p.model_dump() for p in state().engine.store.plans()]}


@bp.get("/<plan_id>")
@require("team")
def get_plan(plan_id: str) -> dict:
    """A plan: meetings, statistics, solver report, recorded outcomes."""
    with state().lock:
        return state().engine.store.get_plan(plan_id)[1].model_dump()


def _files(plan_id: str, name: str) -> Response:
    with state().lock:
        fair, plan = state().engine.store.get_plan(plan_id)
    try:
        body = render_file(plan, name, fair.tables, fair.timezone)
    except KeyError:
        raise ApiError(404, "not_found", f"no file '{name}' in plan {plan_id}; try {', '.join(FILES)} or "
                       "ics/<participant>.ics") from None
    mime = ICS_MIME_TYPE if name.startswith("ics/") else MIME_TYPES[name]
    return send_file(io.BytesIO(body), mimetype=mime, as_attachment=True, download_name=Path(name).name)


@bp.get("/<plan_id>/files/<path:name>")
@require("team")
def download(plan_id: str, name: str) -> Response:
    """One export: grid.csv, agendas.csv, plan.xlsx, grid.html, agendas.html, plan.json, ics/<id>.ics."""
    return _files(plan_id, name)


@bp.put("/<plan_id>/outcomes/<meeting_id>")
@require("team")
def put_outcome(plan_id: str, meeting_id: str) -> dict:
    """Record what came of a meeting."""
    body = json_body()
    if not isinstance(body, dict) or not isinstance(body.get("outcome"), str):
        raise ApiError(422, "invalid", f"body must be {{\"outcome\": one of {', '.join(OUTCOME_GRADES)}}}",
                       [ErrorDetail(field="outcome", message="is required")])
    note = body.get("note")
    with state().lock:
        record_outcome(state().engine.store, plan_id, meeting_id, body["outcome"], note if isinstance(note, str)
                       else None)
        return state().engine.store.outcomes(plan_id)[meeting_id].model_dump()


@bp.get("/<plan_id>/qrels")
@require("team", "evaluator")
def qrels(plan_id: str) -> Response:
    """Outcomes as graded judgments (TSV), ready for evaluate and tune."""
    with state().lock:
        state().engine.store.get_plan(plan_id)  # 404 for an unknown plan
        judged = outcome_qrels(state().engine.store, plan_id)
    return Response(format_qrels(judged), mimetype="text/tab-separated-values")


# -- team pages ---------------------------------------------------------------
@pages_bp.route("/team/fairs/<plan_id>", methods=["GET", "POST"])
@page("team")
def fair_page(plan_id: str) -> Any:
    error = None
    if request.method == "POST":
        try:
            with state().lock:
                record_outcome(state().engine.store, plan_id, request.form.get("meeting_id", ""),
                               request.form.get("outcome", ""), request.form.get("note") or None)
            return redirect(url_for("fair_pages.fair_page", plan_id=plan_id))
        except MatcherError as exc:
            error = from_matcher_error(exc).message
    with state().lock:
        _, plan = state().engine.store.get_plan(plan_id)
    return render("fair.html", plan=plan, outcomes=list(OUTCOME_GRADES), error=error, files=list(FILES))


@pages_bp.post("/team/fairs")
@page("team")
def plan_from_page() -> Any:
    """Upload a fair definition (YAML or JSON) from the team page and plan it."""
    upload = request.files.get("fair")
    name = Path(upload.filename or "fair.yaml").name if upload else "fair.yaml"
    try:
        if upload is None or not upload.filename:
            raise FileFormatError("fair definition", "choose a .yaml or .json file")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            upload.save(path)
            fair = load_fair(path)
        with state().lock:
            plan = plan_fair(state().engine, fair, 60.0, 0, file=name)
            plan_id = save_plan(state().engine.store, fair, plan)
    except MatcherError as exc:
        return render("fair_error.html", error=from_matcher_error(exc).message), 422
    return redirect(url_for("fair_pages.fair_page", plan_id=plan_id))
