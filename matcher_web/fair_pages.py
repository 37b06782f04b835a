"""The team's fair pages: plan an uploaded definition, read a plan, record outcomes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, redirect, request, url_for

from matcher.bounds import FAIR_DEFAULT_TIME_LIMIT
from matcher.errors import FileFormatError, MatcherError
from matcher.exports.fair import FILES
from matcher.fair.definition import load_fair
from matcher.fair.model import OUTCOME_GRADES
from matcher.fair.outcomes import record_outcome

from .api.fairs import submit_plan
from .api.suppliers import upload_name
from .db import get_db
from .errors import from_matcher_error
from .pagekit import page, render

bp = Blueprint("fair_pages", __name__)


@bp.route("/team/fairs/<plan_id>", methods=["GET", "POST"])
@page("team")
def fair_page(plan_id: str) -> Any:
    error = None
    if request.method == "POST":
        try:
            record_outcome(get_db(), plan_id, request.form.get("meeting_id", ""), request.form.get("outcome", ""),
                           request.form.get("note") or None)
            return redirect(url_for("fair_pages.fair_page", plan_id=plan_id))
        except MatcherError as exc:
            error = from_matcher_error(exc).message
    _, plan = get_db().get_plan(plan_id)
    return render("fair.html", plan=plan, outcomes=list(OUTCOME_GRADES), error=error, files=list(FILES))


@bp.post("/team/fairs")
@page("team")
def plan_from_page() -> Any:
    """Upload a fair definition (YAML or JSON) from the team page; it is planned as a background job."""
    upload = request.files.get("fair")
    name = upload_name(upload) if upload else "fair.yaml"
    try:
        if upload is None or not upload.filename:
            raise FileFormatError("fair definition", "choose a .yaml or .json file")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            upload.save(path)
            fair = load_fair(path)
        job_id = submit_plan(fair.model_dump(mode="json"), FAIR_DEFAULT_TIME_LIMIT, name)
    except MatcherError as exc:
        return render("fair_error.html", error=from_matcher_error(exc).message), 422
    return redirect(url_for("pages.team", job=job_id, _anchor="fairs-section"))
