"""The HTTP contract: one decorator declares a JSON operation, and the OpenAPI document is built
from the very models it validates with.

``@operation(bp, "/requests", "POST", body=BuyerRequest, query=MatchQuery, roles=BUYERS,
responses={201: RequestCreated})`` parses the query string and the JSON body into the models
(422 with field details, 400 for broken JSON, 415 for another media type), checks the caller's
role (401/403), calls the view with ``query=`` and ``body=``, and serialises the returned model
with the declared response model. ``build_document`` turns the registered operations into
OpenAPI 3.1: parameters, bounds and bodies are the models' own JSON Schema.
Why no library: docs/decisions/http-contract.md (spectree, flask-openapi3 and APIFlask measured).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, get_origin

import jsonschema_rs
from flask import Blueprint, Flask, Response, current_app, request
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.json_schema import JsonSchemaMode

from matcher import i18n
from matcher.bounds import MAX_JSON_DEPTH
from matcher.errors import FieldProblem, RecordError
from matcher.schema import pydantic_problems

from .auth import guard_api
from .errors import ApiError, ErrorBody, ErrorDetail


@dataclass(frozen=True)
class FileResponse:
    """A download; documents its media types (and ``json``, when the same status may also be JSON)."""

    media_types: tuple[str, ...]
    description: str = "A file"
    json: type[BaseModel] | None = None


@dataclass
class Operation:
    view: Callable[..., Any]
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    form: type[BaseModel] | None
    responses: dict[int, Any]
    roles: tuple[str, ...]
    extra_errors: tuple[int, ...] = field(default_factory=tuple)


def _query_values(model: type[BaseModel]) -> dict[str, Any]:
    """The query string as the model's input: repeated keys for list fields; an empty value is a value
    (``?top_k=`` is refused, not ignored: what the document calls invalid, the server refuses)."""
    lists = {n for n, f in model.model_fields.items() if get_origin(f.annotation) is list}
    return {k: (request.args.getlist(k) if k in lists else request.args[k]) for k in request.args}


def query_problems(exc: ValidationError) -> ApiError:
    """Query errors: 422, one detail per parameter; the query types' messages name the parameter."""
    details = []
    for problem in pydantic_problems(exc):
        name = problem.field or "query"
        text = problem.message if problem.msgid else f"{name}: {problem.message}"
        details.append(ErrorDetail(field=name, message=text))
    return ApiError(422, "invalid", "; ".join(d.message for d in details), details)


def json_body() -> Any:
    """The request's JSON (415 for another media type, 400 when it does not parse or nests too deep)."""
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type",
                       f"send JSON with Content-Type: application/json (got '{request.mimetype or 'none'}')")
    raw = request.get_data(cache=True).decode("utf-8", "replace")
    if _depth(raw) > MAX_JSON_DEPTH:  # measured before parsing: deep nesting never reaches the parser
        raise ApiError(400, "bad_request", i18n.msg("en", "invalid.json_depth", max=MAX_JSON_DEPTH))
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiError(400, "bad_request", "the request body is not valid JSON") from None


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """How deep arrays and objects nest in JSON ``text`` (brackets outside strings)."""
    deepest = level = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        level += 1 if bracket in "[{" else -1
        deepest = max(deepest, level)
    return deepest


_validators: dict[type[BaseModel], Any] = {}


def check_schema(model: type[BaseModel], data: Any, where: str) -> None:
    """After the model accepted ``data``: the documented JSON Schema must accept it too (the model's parsers
    also read spreadsheet spellings, such as "5" for 5 or "FR; IT" for a list, that the API does not take)."""
    if model not in _validators:
        _validators[model] = jsonschema_rs.validator_for(TypeAdapter(model).json_schema(mode="validation"),
                                                         validate_formats=True)
    problems = []
    for error in _validators[model].iter_errors(data):
        field_ = ".".join(str(p) for p in error.instance_path)
        params = {"rule": type(error.kind).__name__.removeprefix("ValidationErrorKind_"), "limit": error.message[:200]}
        problems.append(FieldProblem(field_, i18n.msg("en", "invalid.schema", **params), None, where,
                                     "invalid.schema", params))
    if problems:
        raise RecordError(problems)


def validate(model: type[BaseModel], data: Any, where: str) -> Any:
    """``data`` as ``model``, or RecordError naming every bad field (422 over HTTP)."""
    if not isinstance(data, dict):
        raise RecordError([FieldProblem("", f"the body must be a JSON object, got {type(data).__name__}", None,
                                        where)])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RecordError([FieldProblem(p.field, p.message, None, where, p.msgid, p.params)
                           for p in pydantic_problems(exc)]) from None


def operation(bp: Blueprint, rule: str, method: str = "GET", *, query: type[BaseModel] | None = None,
              body: type[BaseModel] | None = None, form: type[BaseModel] | None = None,
              responses: dict[int, Any] | None = None, roles: tuple[str, ...] = (),
              parse: Callable[[Any], Any] | None = None,
              errors: tuple[int, ...] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a JSON operation on ``bp``; see the module docstring.

    ``parse`` replaces the default body validation (records keep their own error texts).
    ``errors`` lists further documented error statuses (404, 409) beyond the automatic ones.
    """
    responses = responses or {200: None}
    ok = min(c for c in responses if c < 300)
    adapters: dict[int, TypeAdapter[Any]] = {}
    for code, model in responses.items():
        shape = model.json if isinstance(model, FileResponse) else model
        if shape is not None:
            adapters[code] = TypeAdapter(shape)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def endpoint(**path: Any) -> Any:
            if roles:
                guard_api(roles)
            kwargs: dict[str, Any] = {}
            if query is not None:
                try:
                    kwargs["query"] = query.model_validate(_query_values(query))
                except ValidationError as exc:
                    raise query_problems(exc) from None
            if body is not None:
                raw = json_body()
                kwargs["body"] = parse(raw) if parse else validate(body, raw, "request body")
                check_schema(body, raw, "request body")
            if form is not None:
                if request.mimetype != "multipart/form-data":
                    raise ApiError(415, "unsupported_media_type", "upload as multipart/form-data")
                kwargs["form"] = validate(form, {**request.form.to_dict(), **request.files.to_dict()}, "form")
            result = view(**path, **kwargs)
            status = ok
            if isinstance(result, tuple):
                result, status = result
            if isinstance(result, Response):
                return result
            if result is None:
                return Response(status=status)
            adapter = adapters.get(status)
            data = adapter.dump_json(result) if adapter is not None else current_app.json.dumps(result)
            return Response(data, status=status, mimetype="application/json")

        endpoint.operation = Operation(view, query, body, form, dict(responses), roles, errors)  # type: ignore[attr-defined]
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=endpoint, methods=[method])
        return endpoint

    return decorate


ERRORS = {400: "Malformed request", 401: "No or unknown API key", 403: "Role not allowed",
          404: "No such resource", 409: "Conflicts with an existing resource", 413: "Body too large",
          415: "Wrong content type", 422: "Invalid input: details name each field"}


def openapi_path(rule: str) -> str:
    """Flask's /fairs/<plan_id>/files/<path:name> is OpenAPI's /fairs/{plan_id}/files/{name}."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def registered(app: Flask) -> list[tuple[Any, Operation]]:
    out = []
    for rule in app.url_map.iter_rules():
        op = vars(app.view_functions[rule.endpoint]).get("operation")
        if op is not None:
            out.append((rule, op))
    return out


def build_document(app: Flask, title: str, version: str, description: str) -> dict[str, Any]:
    """OpenAPI 3.1 of every registered operation, its schemas generated in one pass from the models."""
    ops = registered(app)
    wanted: list[tuple[Any, JsonSchemaMode]] = [(ErrorBody, "serialization")]
    for _, op in ops:
        wanted += [(m, "validation") for m in (op.query, op.body, op.form) if m is not None]
        wanted += [(m.json if isinstance(m, FileResponse) else m, "serialization") for m in op.responses.values()
                   if m is not None and not (isinstance(m, FileResponse) and m.json is None)]
    unique = list(dict.fromkeys(wanted))
    refs, top = TypeAdapter.json_schemas([((m, mode), mode, TypeAdapter(m)) for m, mode in unique],
                                         ref_template="#/components/schemas/{model}")
    schemas = top.get("$defs", {})

    def ref(model: Any, mode: JsonSchemaMode) -> dict[str, Any]:
        return dict(refs[((model, mode), mode)])

    def deref(schema: dict[str, Any]) -> dict[str, Any]:
        return schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema

    error = {"content": {"application/json": {"schema": ref(ErrorBody, "serialization")}}}
    paths: dict[str, dict[str, Any]] = {}
    for rule, op in ops:
        doc = (op.view.__doc__ or rule.endpoint).strip().split("\n\n", 1)
        params: list[dict[str, Any]] = [{"name": a, "in": "path", "required": True, "schema": {"type": "string"}}
                                        for a in sorted(rule.arguments)]
        if op.query is not None:
            q = deref(ref(op.query, "validation"))
            params += [{"name": n, "in": "query", "required": n in q.get("required", []), "schema": s}
                       for n, s in q.get("properties", {}).items()]
        entry: dict[str, Any] = {"operationId": rule.endpoint.split(".")[-1], "summary": doc[0].splitlines()[0],
                                 "parameters": params, "responses": {}}
        text = doc[1].strip() if len(doc) > 1 else ""
        if op.roles:
            text = (text + "\n\n" if text else "") + f"Roles: {', '.join(op.roles)}."
            entry["x-roles"] = list(op.roles)
        if text:
            entry["description"] = text
        if op.body is not None:
            entry["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": ref(op.body, "validation")}}}
        if op.form is not None:
            entry["requestBody"] = {"required": True,
                                    "content": {"multipart/form-data": {"schema": ref(op.form, "validation")}}}
        for status, model in sorted(op.responses.items()):
            if isinstance(model, FileResponse):
                content = {t: {"schema": {"type": "string", "format": "binary"}} for t in model.media_types}
                if model.json is not None:
                    content = {"application/json": {"schema": ref(model.json, "serialization")}, **content}
                entry["responses"][str(status)] = {"description": model.description, "content": content}
            elif model is None:
                entry["responses"][str(status)] = {"description": "No content" if status == 204 else "OK"}
            else:
                entry["responses"][str(status)] = {"description": "OK", "content": {
                    "application/json": {"schema": ref(model, "serialization")}}}
        codes = set(op.extra_errors)
        if op.query is not None or op.body is not None or op.form is not None:
            codes |= {422}
        if op.body is not None or op.form is not None:
            codes |= {400, 413, 415}
        if op.roles:
            codes |= {401, 403}
            entry["security"] = [{"bearer": []}, {"apiKey": []}]
        else:
            entry["security"] = []
        for code in sorted(codes):
            entry["responses"].setdefault(str(code), {"description": ERRORS[code], **error})
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(openapi_path(str(rule.rule)), {})[method.lower()] = entry
    return {"openapi": "3.1.0", "info": {"title": title, "version": version, "description": description},
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base", "paths": paths,
            "components": {"schemas": schemas, "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}}}
