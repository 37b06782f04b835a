"""OpenAPI 3.1 document built from the Flask routes and the engine's pydantic models.

Paths, methods and roles come from the registered views (so the document
cannot list a route that does not exist); bodies and responses are the same
pydantic models that validate imports and shape results.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from matcher.explain import MatchResult
from matcher.exports.fair import ICS_MIME_TYPE, MIME_TYPES
from matcher.fair.definition import FairDefinition
from matcher.profiles import list_profiles
from matcher.schema import BuyerRequest, Supplier

from .errors import ErrorBody


class RequestCreated(BaseModel):
    request: BuyerRequest
    result: MatchResult


class RequestList(BaseModel):
    requests: list[BuyerRequest]


class SupplierList(BaseModel):
    total: int
    suppliers: list[Supplier]


class Problem(BaseModel):
    row: int | None
    field: str
    message: str
    text: str


class ImportReportBody(BaseModel):
    file: str
    kind: str
    rows: int
    inserted: int
    updated: int
    ids: list[str]
    rejected_rows: list[int]
    rejected: list[Problem]
    warnings: list[Problem]


class ShortlistQuery(BaseModel):
    request_ids: list[str] | None = None
    top_k: int = 5
    format: str = "json"
    profile: str | None = None


class Shortlist(BaseModel):
    buyers: list[dict[str, str | int | float | None]]
    suppliers: list[dict[str, str | int | float | None]]


class ProfileInfo(BaseModel):
    name: str
    version: int
    embedder: str
    weights: dict[str, float]
    held_out: dict[str, Any] | None


class ProfileList(BaseModel):
    default: str
    profiles: list[ProfileInfo]


class EvaluationBody(BaseModel):
    profile: str
    model: str
    n_requests: int
    summary: dict[str, float]
    ci: dict[str, list[float]]
    violations: int
    no_match_answered: int
    no_match_total: int
    stability: float | None
    coverage: float
    small_coverage: float
    gini: float
    per_request: list[dict[str, str | float]]


class PlanCreated(BaseModel):
    plan_id: str
    stats: dict[str, Any]
    solver: dict[str, Any]
    notes: list[str]


class PlanSummary(BaseModel):
    plan_id: str
    name: str
    created_at: str


class PlanList(BaseModel):
    plans: list[PlanSummary]


class OutcomeBody(BaseModel):
    outcome: Literal["not_held", "no_interest", "follow_up", "cooperation_possible", "agreement"]
    note: str | None = None


class OutcomeRecord(BaseModel):
    outcome: str
    note: str | None
    updated_at: str


class Health(BaseModel):
    status: str
    suppliers: int
    profile: str
    model: str


PROFILE = ("profile", "profiles")  # placeholder: the enum of saved profiles is read at build time
MATCH_QUERY = [("top_k", {"type": "integer", "minimum": 1, "maximum": 500}),
               ("include_ineligible", {"type": "boolean"}), PROFILE]
# endpoint -> (request body model, {status: response model or None}, query parameters)
OPERATIONS: dict[str, tuple[type[BaseModel] | str | None, dict[int, type[BaseModel] | str | None], list]] = {
    "api.create_request": (BuyerRequest, {201: RequestCreated}, MATCH_QUERY),
    "api.list_requests": (None, {200: RequestList}, []),
    "api.get_request": (None, {200: BuyerRequest}, []),
    "api.request_matches": (None, {200: MatchResult}, MATCH_QUERY),
    "api.stateless_match": (BuyerRequest, {200: MatchResult}, MATCH_QUERY),
    "api.list_suppliers": (None, {200: SupplierList}, [
        ("q", {"type": "string"}), ("country", {"type": "string"}), ("cluster", {"type": "string"}),
        ("product", {"type": "string"}), ("limit", {"type": "integer", "minimum": 1, "maximum": 1000}),
        ("offset", {"type": "integer", "minimum": 0, "maximum": 10**9})]),
    "api.create_supplier": (Supplier, {201: Supplier}, []),
    "api.get_supplier": (None, {200: Supplier}, []),
    "api.put_supplier": (Supplier, {200: Supplier, 201: Supplier}, []),
    "api.delete_supplier": (None, {204: None}, []),
    "api.import_suppliers": ("multipart", {200: ImportReportBody}, []),
    "api.shortlists": (ShortlistQuery, {200: Shortlist}, []),
    "api.profiles": (None, {200: ProfileList}, []),
    "api.evaluation": (None, {200: EvaluationBody}, [PROFILE]),
    "fairs.create_plan": (FairDefinition, {201: PlanCreated}, [("time_limit", {"type": "number", "minimum": 1,
                                                                                 "maximum": 600})]),
    "fairs.plans": (None, {200: PlanList}, []),
    "fairs.get_plan": (None, {200: "object"}, []),
    "fairs.download": (None, {200: "file"}, []),
    "fairs.put_outcome": (OutcomeBody, {200: OutcomeRecord}, []),
    "fairs.qrels": (None, {200: "tsv"}, []),
    "healthz": (None, {200: Health}, []),
    "openapi": (None, {200: "object"}, []),
}
MODELS = [BuyerRequest, Supplier, MatchResult, ErrorBody, RequestCreated, RequestList, SupplierList, ImportReportBody,
          ShortlistQuery, Shortlist, ProfileList, EvaluationBody, Health, FairDefinition, PlanCreated, PlanList,
          OutcomeBody, OutcomeRecord]
FILE_TYPES = sorted({*MIME_TYPES.values(), ICS_MIME_TYPE})
ERRORS = {400: "Malformed request", 401: "No or unknown API key", 403: "Role not allowed",
          404: "No such resource", 409: "Conflicts with an existing resource", 413: "Body too large",
          415: "Wrong content type", 422: "Invalid input: details name each field"}


def openapi_path(rule: str) -> str:
    """Flask's /fairs/<plan_id>/files/<path:name> is OpenAPI's /fairs/{plan_id}/files/{name}."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def build(app: Flask) -> dict[str, Any]:
    defs_in = [(m, "validation") for m in MODELS] + [(m, "serialization") for m in MODELS]
    refs, top = models_json_schema(defs_in, ref_template="#/components/schemas/{model}")  # type: ignore[arg-type]
    schemas = top.get("$defs", {})

    def _ref(model: type[BaseModel], mode: str = "serialization") -> dict[str, Any]:
        return dict(refs[(model, mode)])  # type: ignore[index]

    paths: dict[str, dict[str, Any]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in OPERATIONS:
            continue
        body, responses, query = OPERATIONS[rule.endpoint]
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "roles", None)
        path = openapi_path(str(rule.rule))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            op: dict[str, Any] = {
                "operationId": rule.endpoint.replace("api.", ""),
                "summary": (view.__doc__ or rule.endpoint).strip().splitlines()[0],
                "parameters": [{"name": a, "in": "path", "required": True, "schema": {"type": "string"}}
                               for a in sorted(rule.arguments)]
                + [{"name": n, "in": "query", "required": False,
                    "schema": {"enum": list_profiles()} if (n, s) == PROFILE else s} for n, s in query],
                "responses": {},
            }
            for status, model in responses.items():
                if isinstance(model, type):
                    content: dict[str, Any] | None = {"application/json": {"schema": _ref(model)}}
                elif model == "file":
                    content = {t: {"schema": {"type": "string", "format": "binary"}} for t in FILE_TYPES}
                elif model == "tsv":
                    content = {"text/tab-separated-values": {"schema": {"type": "string"}}}
                else:
                    content = {"application/json": {"schema": {"type": "object"}}} if model else None
                op["responses"][str(status)] = {"description": "OK", **({"content": content} if content else {})}
            if body == "multipart":
                op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}, "strict": {"type": "boolean"}}}}}}
            elif isinstance(body, type):
                op["requestBody"] = {"required": True,
                                     "content": {"application/json": {"schema": _ref(body, "validation")}}}
            if roles:
                op["description"] = f"Roles: {', '.join(roles)}."
                op["security"] = [{"bearer": []}, {"apiKey": []}]
                codes = [400, 401, 403, 404, 409, 422] + ([413, 415] if body else [])
            else:
                op["security"] = []
                codes = []
            for code in codes:
                op["responses"][str(code)] = {"description": ERRORS[code],
                                              "content": {"application/json": {"schema": _ref(ErrorBody)}}}
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "artisan-matcher API", "version": "1",
                 "description": "Buyer-supplier matchmaking for artisan clusters. Errors are JSON "
                                "{error, message, details}."},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}},
    }
