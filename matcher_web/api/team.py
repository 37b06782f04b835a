"""Shortlists, weight profiles and evaluation."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, send_file

from matcher.consortium.shortlist import consortium_rows
from matcher.errors import RecordError
from matcher.evaluation.runs import EvaluationReport
from matcher.exports.shortlist import MIME_TYPES as SHORTLIST_MIME_TYPES
from matcher.exports.shortlist import build as build_shortlist
from matcher.exports.shortlist import render as render_shortlist
from matcher.exports.shortlist import with_nearest
from matcher.jobs import Job, job_view, submit
from matcher.jobs.model import params_text
from matcher.profiles import Profile, list_profiles, load_profile

from ..contract import FileResponse, operation
from ..db import get_db, get_engine, resources
from ..models import ProfileInfo, ProfileList, ProfileQuery, Shortlist, ShortlistRequest
from . import ANALYSTS, READERS, TEAM
from .requests import match_or_explain

bp = Blueprint("team", __name__, url_prefix="/api/v1")


def shortlist_results(request_ids: list[str] | None, top_k: int, profile: Profile | None) -> list[Any]:
    store = get_db()
    requests = store.requests() if request_ids is None else [store.get_request(r) for r in request_ids]
    engine = get_engine()
    try:
        return with_nearest(engine, engine.match_all(requests, top_k=top_k, profile=profile))
    except RecordError:  # a request without a quantity: answered with its message; the others as usual
        pass
    rankable = [r for r in requests if ranks(r)]
    ranked = {id(r): m for r, m in with_nearest(engine, engine.match_all(rankable, top_k=top_k, profile=profile))}
    return [(r, ranked.get(id(r)) or match_or_explain(r, top_k, profile=profile)) for r in requests]


def ranks(request: Any) -> bool:
    """Whether the engine can rank ``request`` (it states a quantity, in its field or its text)."""
    try:
        get_engine().context(request)
    except RecordError:
        return False
    return True


def download_shortlist(results: list[Any], fmt: str, min_score: float = 0.0) -> Response:
    groups = consortium_rows(get_engine(), [request for request, _ in results])
    return send_file(io.BytesIO(render_shortlist(results, fmt, groups, min_score)), mimetype=SHORTLIST_MIME_TYPES[fmt],
                     as_attachment=True, download_name=f"shortlist.{fmt}")


@operation(bp, "/shortlists", "POST", body=ShortlistRequest, roles=TEAM, errors=(404,),
           responses={200: FileResponse(tuple(SHORTLIST_MIME_TYPES[f] for f in ("csv", "zip", "xlsx")),
                                        "The shortlist as JSON, CSV, a zip of CSV files or XLSX", json=Shortlist)})
def shortlists(body: ShortlistRequest) -> Shortlist | Response:
    """Fair shortlists: per buyer its top suppliers, per supplier the buyers it appears for (JSON, CSV or XLSX)."""
    results = shortlist_results(body.request_ids, body.top_k, load_profile(body.profile) if body.profile else None)
    if body.format == "json":
        buyers, suppliers = build_shortlist(results, body.min_score)
        return Shortlist(buyers=buyers, suppliers=suppliers,
                         consortia=consortium_rows(get_engine(), [request for request, _ in results]))
    return download_shortlist(results, body.format, body.min_score)


@operation(bp, "/profiles", "GET", roles=READERS, responses={200: ProfileList})
def profiles() -> ProfileList:
    """Saved weight profiles."""
    out = []
    for name in list_profiles():
        p = load_profile(name)
        out.append(ProfileInfo(name=p.name, version=p.version, embedder=p.embedder, weights=p.weights,
                               defaulted=list(p.defaulted), held_out=p.meta.get("held_out")))
    return ProfileList(default=resources().profile.name, profiles=out)


@operation(bp, "/evaluation", "GET", query=ProfileQuery, roles=ANALYSTS,
           responses={200: EvaluationReport, 202: Job})
def evaluation(query: ProfileQuery) -> tuple[EvaluationReport | Job, int]:
    """The profile's scores on the configured judgments (200), or the background job computing them (202).

    Results are kept until suppliers or profile change; poll GET /jobs/{job_id}, then ask again."""
    r, store = resources(), get_db()
    profile = load_profile(query.profile) if query.profile else r.profile
    params = {"profile": f"{profile.name}@{profile.version}", "suppliers_version": store.suppliers_version()}
    done = store.find_job("evaluation", params_text(params), ("done",))
    if done is not None:
        return EvaluationReport.model_validate(job_view(done).result), 200
    job = store.find_job("evaluation", params_text(params), ("queued", "running")) or store.get_job(
        submit(store, "evaluation", params))
    return job_view(job), 202
