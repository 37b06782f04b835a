"""Shortlists, weight profiles and evaluation."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, current_app, send_file

from matcher.consortium.shortlist import consortium_rows
from matcher.evaluation.insample import check_in_sample
from matcher.evaluation.judgments import evaluate_subset, load_judgment_set
from matcher.evaluation.runs import EvaluationReport
from matcher.exports.shortlist import MIME_TYPES as SHORTLIST_MIME_TYPES
from matcher.exports.shortlist import build as build_shortlist
from matcher.exports.shortlist import render as render_shortlist
from matcher.exports.shortlist import with_nearest
from matcher.profiles import Profile, list_profiles, load_profile

from ..contract import FileResponse, operation
from ..db import get_db, get_engine, resources
from ..models import ProfileInfo, ProfileList, ProfileQuery, Shortlist, ShortlistRequest
from . import ANALYSTS, READERS, TEAM

bp = Blueprint("team", __name__, url_prefix="/api/v1")


def shortlist_results(request_ids: list[str] | None, top_k: int, profile: Profile | None) -> list[Any]:
    store = get_db()
    requests = store.requests() if request_ids is None else [store.get_request(r) for r in request_ids]
    return with_nearest(get_engine(), get_engine().match_all(requests, top_k=top_k, profile=profile))


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
        return Shortlist(buyers=buyers, suppliers=suppliers)
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


@operation(bp, "/evaluation", "GET", query=ProfileQuery, roles=ANALYSTS, responses={200: EvaluationReport})
def evaluation(query: ProfileQuery) -> EvaluationReport:
    """The profile's scores on the configured judgments, cached until suppliers or profile change."""
    cfg, r, engine = current_app.config, resources(), get_engine()
    profile = load_profile(query.profile) if query.profile else r.profile
    key = ("evaluation", profile.name, profile.version, get_db().suppliers_version())
    if key not in r.cache:
        judgments = load_judgment_set("configured", cfg["EVAL_REQUESTS"], [cfg["EVAL_QRELS"]], cfg["EVAL_TWINS"],
                                      cfg["EVAL_NO_MATCH"])
        ev = evaluate_subset(engine, judgments, profile=profile, name=f"{profile.name}@{profile.version}")
        result = ev.result
        warning = check_in_sample(profile, ev.data_hash, [t.request_id for t in ev.context.judged],
                                  result.summary["ndcg10"])
        r.cache[key] = EvaluationReport(profile=result.name, model=engine.embedder.name, n_requests=len(result.rows),
                                        in_sample=warning,
                                        judgments=judgments.summary(), **result.figures().model_dump())
    return r.cache[key]
