"""The team's fair pages: plan an uploaded definition, read a plan, record outcomes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Response, redirect, request, url_for

from matcher.bounds import FAIR_DEFAULT_TIME_LIMIT
from matcher.errors import FileFormatError, MatcherError
from matcher.exports.fair import FILES
from matcher.fair.definition import load_fair
from matcher.fair.model import OUTCOME_GRADES, Meeting
from matcher.fair.outcomes import record_outcome
from matcher.fair.summary import summary as solver_summary

from . import fair_editor as editor
from .api.fairs import submit_plan
from .api.suppliers import catalogue, upload_name
from .db import get_db
from .errors import from_matcher_error
from .pagekit import page, page_lang, render

bp = Blueprint("fair_pages", __name__)


@bp.route("/team/fairs/<plan_id>", methods=["GET", "POST"])
@page("team")
def fair_page(plan_id: str) -> Any:
    """A plan: its summary, a filter by buyer or supplier, the grid (time x table) and the meetings,
    each with its outcome and note recorded in place (static/fair.js; this POST is the no-script way)."""
    error = None
    chosen = {k: (request.values.get(k) or "") for k in ("buyer", "supplier")}
    if request.method == "POST":
        meeting_id = request.form.get("meeting_id", "")
        try:
            record_outcome(get_db(), plan_id, meeting_id, request.form.get("outcome", ""),
                           request.form.get("note") or None)
            args: dict[str, Any] = {k: v for k, v in chosen.items() if v}
            return redirect(url_for("fair_pages.fair_page", plan_id=plan_id, _anchor=meeting_id, **args))
        except MatcherError as exc:
            error = from_matcher_error(exc).message
    fair, plan = get_db().get_plan(plan_id)
    shown = [m for m in plan.meetings if (not chosen["buyer"] or m.request_id == chosen["buyer"])
             and (not chosen["supplier"] or m.supplier_id == chosen["supplier"])]
    return render("fair.html", plan=plan, outcomes=list(OUTCOME_GRADES), error=error, files=list(FILES),
                  chosen=chosen, shown=shown, grid=plan_grid(shown, plan.meetings),
                  tables=range(1, fair.tables + 1),
                  buyers=sorted({(m.request_id, m.buyer_name) for m in plan.meetings}),
                  suppliers=sorted({(m.supplier_id, m.supplier_name) for m in plan.meetings}),
                  summary=solver_summary(plan.solver, page_lang()),
                  notes=[n.text(page_lang()) for n in plan.note_messages] or plan.notes), 422 if error else 200


def plan_grid(shown: list[Meeting], every: list[Meeting]) -> list[tuple[str, dict[int, Meeting]]]:
    """(start, table -> meeting) for every time the plan uses, holding the meetings shown."""
    cells: dict[str, dict[int, Meeting]] = {m.start: {} for m in sorted(every, key=lambda m: m.start)}
    for m in shown:
        cells[m.start][m.table] = m
    return list(cells.items())


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


@bp.route("/team/fairs/new", methods=["GET", "POST"])
@page("team")
def fair_editor() -> Any:
    """Write a fair definition in a form: check it, download it as YAML (the CLI's file) or plan it."""
    store, action = get_db(), request.form.get("action", "check")
    problems: list = []
    if request.method == "POST":
        values = editor.values_from_form(request.form)
        data, fair, problems = editor.check(values)
        if fair is not None and action == "yaml":
            body = yaml.safe_dump(fair.model_dump(mode="json", exclude_defaults=True), allow_unicode=True,
                                  sort_keys=False)
            return Response(body, mimetype="application/yaml",
                            headers={"Content-Disposition": 'attachment; filename="fair.yaml"'})
        if fair is not None and action == "plan":
            job_id = submit_plan(fair.model_dump(mode="json"), FAIR_DEFAULT_TIME_LIMIT, editor.FILE)
            return redirect(url_for("pages.team", job=job_id, _anchor="fairs-section"))
        if action == "more":
            problems = []  # adding rows is not a check
            values["n_wishes"] = str(int(values["n_wishes"]) + editor.EXTRA_ROWS)
            values["n_days"] = str(int(values["n_days"]) + 1)
    elif request.args.get("plan"):
        values, data = editor.form_from_definition(store.get_plan(request.args["plan"])[0]), {}
    else:
        values, data = {"timezone": "Africa/Algiers", "n_days": "1", "n_wishes": "0"}, {}
    errors: dict[str, list[str]] = {}
    for p in problems:
        errors.setdefault(editor.input_of(p.field, data), []).append(p.message)
    checked = request.method == "POST" and action == "check" and not problems
    return render("fair_editor.html", v=values, errors=errors, problems=problems, checked=checked,
                  errors_links=[editor.input_of(p.field, data) for p in problems],
                  requests=store.requests(), suppliers=catalogue(), wish_kinds=editor.WISH_KINDS,
                  limit_fields=editor.LIMIT_FIELDS, day_fields=editor.DAY_FIELDS,
                  n_days=int(values.get("n_days") or 0) + 1,
                  n_wishes=int(values.get("n_wishes") or 0) + editor.EXTRA_ROWS), 422 if problems else 200
