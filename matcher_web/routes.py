"""JSON API under /api/v1. Each view parses input, calls the engine, shapes output; nothing more."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request, send_file

from matcher.catalogue import search_suppliers
from matcher.evaluation.data import load_no_match, load_qrels, load_twins
from matcher.evaluation.runs import evaluate_run, load_context, weighted_run
from matcher.exports.shortlist import MIME_TYPES as SHORTLIST_MIME_TYPES
from matcher.exports.shortlist import build as build_shortlist
from matcher.exports.shortlist import render as render_shortlist
from matcher.io.importer import ensure_request_id, load_requests
from matcher.keys import Principal
from matcher.profiles import list_profiles, load_profile

from .auth import current_principal, require
from .errors import ApiError, ErrorDetail
from .service import (
    MAX_TOP_K,
    json_body,
    match,
    parse_record,
    profile_param,
    query_bool,
    query_int,
    state,
    supplier_view,
    visible_request,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
ALL = ("team", "buyer", "evaluator")
IMPORT_TYPES = (".csv", ".xlsx", ".json", ".jsonl")


def _who() -> Principal:
    who = current_principal()
    if who is None:  # @require has already refused; kept for type narrowing
        raise ApiError(401, "unauthorized", "a valid API key is required")
    return who


def _match_args() -> dict[str, Any]:
    return {"top_k": query_int("top_k", None, 1, MAX_TOP_K), "include_ineligible": query_bool("include_ineligible"),
            "profile": profile_param()}


# -- requests and matches --------------------------------------------------
@bp.post("/requests")
@require("team", "buyer")
def create_request() -> tuple[dict, int]:
    who = _who()
    req = parse_record("request", json_body())
    if who.role == "buyer":  # a buyer key can only speak for its own buyer
        req = req.model_copy(update={"buyer_name": who.buyer})
    req = ensure_request_id(req)
    rid = str(req.request_id)
    args = _match_args()
    with state().lock:  # the check and the write together: no other request can slip in between
        store = state().engine.store
        if store.existing_ids("request", [rid]) and not who.can_see_request(store.get_request(rid).buyer_name):
            raise ApiError(409, "conflict", f"request_id '{rid}' is taken; leave it out to get a new one")
        stored, result = match(req, submit=True, **args)
    return {"request": stored.model_dump(), "result": result.model_dump()}, 201


@bp.get("/requests")
@require(*ALL)
def list_requests() -> dict:
    who = _who()
    with state().lock:
        rows = state().engine.store.requests()
    return {"requests": [r.model_dump() for r in rows if who.can_see_request(r.buyer_name)]}


@bp.get("/requests/<request_id>")
@require(*ALL)
def get_request(request_id: str) -> dict:
    return visible_request(_who(), request_id).model_dump()


@bp.get("/requests/<request_id>/matches")
@require(*ALL)
def request_matches(request_id: str) -> dict:
    req = visible_request(_who(), request_id)
    return match(req, submit=False, **_match_args())[1].model_dump()


@bp.post("/match")
@require("team", "buyer")
def stateless_match() -> dict:
    req = ensure_request_id(parse_record("request", json_body()))
    return match(req, submit=False, **_match_args())[1].model_dump()


# -- suppliers -------------------------------------------------------------
@bp.get("/suppliers")
@require(*ALL)
def list_suppliers() -> dict:
    args = request.args
    limit = query_int("limit", 100, 1, 1000) or 100
    offset = query_int("offset", 0, 0, 10**9) or 0
    with state().lock:
        everything = state().engine.store.suppliers()
    found = search_suppliers(everything, args.get("q", ""), args.get("country", ""), args.get("cluster", ""),
                             args.get("product", ""))
    who = _who()
    return {"total": len(found), "suppliers": [supplier_view(who, s) for s in found[offset:offset + limit]]}


@bp.post("/suppliers")
@require("team")
def create_supplier() -> tuple[dict, int]:
    supplier = parse_record("supplier", json_body())
    with state().lock:
        store = state().engine.store
        if store.existing_ids("supplier", [supplier.supplier_id]):
            raise ApiError(409, "conflict", f"supplier '{supplier.supplier_id}' exists; use PUT to replace it")
        store.upsert_suppliers([supplier])
    return supplier.model_dump(), 201


@bp.get("/suppliers/<supplier_id>")
@require(*ALL)
def get_supplier(supplier_id: str) -> dict:
    with state().lock:
        supplier = state().engine.store.get_supplier(supplier_id)
    return supplier_view(_who(), supplier)


@bp.put("/suppliers/<supplier_id>")
@require("team")
def put_supplier(supplier_id: str) -> tuple[dict, int]:
    data = json_body()
    if isinstance(data, dict) and data.setdefault("supplier_id", supplier_id) != supplier_id:
        raise ApiError(422, "invalid", f"supplier_id in the body ('{data['supplier_id']}') differs from the "
                       f"URL ('{supplier_id}')", [ErrorDetail(field="supplier_id", message="differs from URL")])
    supplier = parse_record("supplier", data)
    with state().lock:
        inserted, _ = state().engine.store.upsert_suppliers([supplier])
    return supplier.model_dump(), 201 if inserted else 200


@bp.delete("/suppliers/<supplier_id>")
@require("team")
def delete_supplier(supplier_id: str) -> tuple[str, int]:
    with state().lock:
        state().engine.store.delete_supplier(supplier_id)
    return "", 204


def import_upload(upload: Any, strict: bool) -> dict:
    """Store an uploaded sheet under its own name and import it (shared with the team page)."""
    name = Path(upload.filename or "").name
    if not name.lower().endswith(IMPORT_TYPES):
        raise ApiError(415, "unsupported_media_type",
                       f"'{name or 'upload'}': supplier sheets must be {', '.join(IMPORT_TYPES)}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        upload.save(path)
        with state().lock:
            return state().engine.import_file(path, "supplier", strict=strict).to_dict()


@bp.post("/suppliers/import")
@require("team")
def import_suppliers() -> dict:
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "upload the sheet as multipart/form-data, field 'file'")
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(400, "bad_request", "no file: send the sheet in the multipart field 'file'")
    return import_upload(upload, request.form.get("strict", "").lower() in ("1", "true", "yes", "on"))


# -- shortlists, profiles, evaluation ----------------------------------------
def shortlist_results(request_ids: list[str] | None, top_k: int, profile: Any) -> list:
    with state().lock:
        store = state().engine.store
        requests = store.requests() if request_ids is None else [store.get_request(r) for r in request_ids]
        return state().engine.match_all(requests, top_k=top_k, profile=profile)


@bp.post("/shortlists")
@require("team")
def shortlists() -> Any:
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(422, "invalid", "the body must be an object", [ErrorDetail(field="", message="not an object")])
    ids, top_k, fmt = body.get("request_ids"), body.get("top_k", 5), body.get("format", "json")
    problems = []
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        problems.append(ErrorDetail(field="request_ids", message="must be a list of request ids or null"))
    if not isinstance(top_k, int) or isinstance(top_k, bool) or not 1 <= top_k <= 100:
        problems.append(ErrorDetail(field="top_k", message="must be an integer from 1 to 100"))
    if fmt not in ("json", "csv", "xlsx"):
        problems.append(ErrorDetail(field="format", message="must be json, csv or xlsx"))
    if problems:
        raise ApiError(422, "invalid", "; ".join(f"{p.field}: {p.message}" for p in problems), problems)
    results = shortlist_results(ids, top_k, profile_param(body.get("profile") or ""))
    if fmt == "json":
        buyers, suppliers = build_shortlist(results)
        return {"buyers": buyers, "suppliers": suppliers}
    return download_shortlist(results, fmt)


def download_shortlist(results: list, fmt: str) -> Response:
    return send_file(io.BytesIO(render_shortlist(results, fmt)), mimetype=SHORTLIST_MIME_TYPES[fmt],
                     as_attachment=True, download_name=f"shortlist.{fmt}")


@bp.get("/profiles")
@require(*ALL)
def profiles() -> dict:
    out = []
    for name in list_profiles():
        p = load_profile(name)
        out.append({"name": p.name, "version": p.version, "embedder": p.embedder, "weights": p.weights,
                    "held_out": p.meta.get("held_out")})
    return {"default": state().engine.profile.name, "profiles": out}


@bp.get("/evaluation")
@require("team", "evaluator")
def evaluation() -> dict:
    """The profile's scores on the configured judgments, cached until suppliers or profile change."""
    cfg = current_app.config
    s = state()
    profile = profile_param() or s.engine.profile
    with s.lock:
        key = ("evaluation", profile.name, profile.version, s.engine.store.suppliers_version())
        if key not in s.cache:
            requests = load_requests(cfg["EVAL_REQUESTS"])
            ctx = load_context(s.engine, requests, load_qrels(cfg["EVAL_QRELS"]), load_twins(cfg["EVAL_TWINS"]),
                               load_no_match(cfg["EVAL_NO_MATCH"]), profile=profile)
            r = evaluate_run(weighted_run(ctx.tables, f"{profile.name}@{profile.version}"), ctx)
            s.cache[key] = {"profile": r.name, "model": s.engine.embedder.name, "n_requests": len(r.rows),
                            **r.to_json()}
        return s.cache[key]
