"""One JSON error shape for every API failure: {"error", "message", "details"}.

Never an HTML page, never a stack trace: unexpected exceptions are logged and
answered with a generic 500 body.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request
from pydantic import BaseModel
from werkzeug.exceptions import HTTPException

from matcher.errors import (
    ConfigError,
    ConflictError,
    FileFormatError,
    ForbiddenError,
    ImportRejected,
    InputError,
    MatcherError,
    NotFoundError,
    RecordError,
)

from .auth import Denied


class ErrorDetail(BaseModel):
    field: str
    message: str
    row: int | None = None


class ErrorBody(BaseModel):
    error: str
    message: str
    details: list[ErrorDetail] = []


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, details: list[ErrorDetail] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message
        self.details = details or []
        self.headers = headers or {}


def _response(status: int, error: str, message: str, details: list[ErrorDetail] | None = None,
              headers: dict[str, str] | None = None) -> Response:
    body = ErrorBody(error=error, message=message, details=details or [])
    response = jsonify(body.model_dump())
    response.status_code = status
    response.headers.update(headers or {})
    return response


def from_matcher_error(exc: MatcherError) -> ApiError:
    if isinstance(exc, NotFoundError):
        return ApiError(404, "not_found", str(exc))
    if isinstance(exc, ConflictError):
        return ApiError(409, "conflict", str(exc))
    if isinstance(exc, ForbiddenError):
        return ApiError(403, "forbidden", str(exc))
    if isinstance(exc, (RecordError, ImportRejected)):
        details = [ErrorDetail(field=p.field, message=p.message, row=p.row) for p in exc.problems]
        return ApiError(422, "invalid", str(exc), details)
    if isinstance(exc, FileFormatError):
        return ApiError(422, "unreadable_file", str(exc))
    if isinstance(exc, (InputError, ConfigError)):
        return ApiError(422, "invalid", str(exc))
    return ApiError(400, "bad_request", str(exc))


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid"}


def register(app: Flask, api_prefix: str = "/api/") -> None:
    def wants_json() -> bool:
        return request.path.startswith(api_prefix) or request.path == "/healthz"

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return _response(exc.status, exc.error, exc.message, exc.details, exc.headers)

    @app.errorhandler(MatcherError)
    def _matcher_error(exc: MatcherError) -> Any:
        return _api_error(from_matcher_error(exc))

    @app.errorhandler(Denied)
    def _denied(exc: Denied) -> Response:
        if exc.status == 401:
            return _response(401, "unauthorized", "a valid API key is required (Authorization: Bearer <key>)",
                             headers={"WWW-Authenticate": 'Bearer realm="matcher"'})
        if exc.csrf:
            return _response(403, "csrf", "a call signed in by the page cookie must send the page's CSRF token "
                             "in X-CSRF-Token (or use an API key header)")
        return _response(403, "forbidden", f"the {exc.role} role may not do this")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        if not wants_json():
            return error_page(status, exc)
        headers = {}
        if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        message = {413: f"request body too large (limit {app.config['MAX_CONTENT_LENGTH']} bytes)"}.get(
            status, exc.description or exc.name)
        return _response(status, _CODES.get(status, "error"), message, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if not wants_json():
            return error_page(500, exc)
        return _response(500, "internal", "internal server error; the incident was logged")


PAGE_ERRORS = (400, 404, 405, 413, 500)  # page.error_<status> in the catalogue; others say page.error_other


def error_page(status: int, exc: Exception) -> tuple[str, int, dict[str, str]]:
    """An error on a page (not the API): a page in the page's language, with the header and links."""
    from matcher import i18n

    from .pagekit import page_lang, render

    key = f"page.error_{status if status in PAGE_ERRORS else 'other'}"
    allowed = getattr(exc, "valid_methods", None)
    headers = {"Allow": ", ".join(allowed)} if status == 405 and allowed else {}
    return render("error.html", status=status, message=i18n.text(page_lang(), key)), status, headers
