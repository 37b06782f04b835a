"""What the API and the pages share: the engine behind a lock, input parsing, role-aware views.

Nothing here scores or explains: it parses, calls the engine and shapes output.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request

from matcher.engine import Engine
from matcher.errors import ConfigError, NotFoundError
from matcher.explain import MatchResult
from matcher.keys import Principal
from matcher.profiles import Profile, load_profile
from matcher.schema import BuyerRequest, Supplier, validate_record

from .errors import ApiError, ErrorDetail

MAX_TOP_K = 500


@dataclass
class State:
    """Per-app state: one engine (its index is built once) and a lock around it.

    SQLite connections and the in-memory index are not safe to share between
    waitress threads without one.
    """

    engine: Engine
    lock: threading.RLock = field(default_factory=threading.RLock)
    cache: dict[Any, Any] = field(default_factory=dict)


def state() -> State:
    return current_app.extensions["matcher"]


def json_body() -> Any:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type",
                       f"send JSON with Content-Type: application/json (got '{request.mimetype or 'none'}')")
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "bad_request", "the request body is not valid JSON")
    return data


def parse_record(kind: str, data: Any) -> Any:
    return validate_record(kind, data, file="request body")  # type: ignore[arg-type]


def query_int(name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ApiError(422, "invalid", f"{name} must be an integer from {low} to {high} (got '{raw}')",
                       [ErrorDetail(field=name, message=f"must be an integer from {low} to {high}")])
    return value


def query_bool(name: str) -> bool:
    raw = request.args.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes"):
        return True
    raise ApiError(422, "invalid", f"{name} must be true or false (got '{raw}')",
                   [ErrorDetail(field=name, message="must be true or false")])


def profile_param(name: str | None = None) -> Profile | None:
    name = name if name is not None else request.args.get("profile")
    if not name:
        return None
    try:
        return load_profile(name)
    except ConfigError as exc:
        raise ApiError(422, "invalid", str(exc), [ErrorDetail(field="profile", message="unknown profile")]) from None


def visible_request(who: Principal, request_id: str) -> BuyerRequest:
    """The request, or 404 as if it did not exist when another buyer owns it."""
    with state().lock:
        found = state().engine.store.get_request(request_id)
    if not who.can_see_request(found.buyer_name):
        raise NotFoundError("request", request_id)
    return found


def supplier_view(who: Principal | None, supplier: Supplier) -> dict[str, Any]:
    """Private fields (contact e-mail) only for the team."""
    return supplier.model_dump() if who is not None and who.role == "team" else supplier.public()


def match(req: BuyerRequest, *, submit: bool, top_k: int | None, include_ineligible: bool,
          profile: Profile | None) -> tuple[BuyerRequest, MatchResult]:
    s = state()
    with s.lock:
        if submit:
            return s.engine.submit(req, top_k=top_k, include_ineligible=include_ineligible, profile=profile)
        return req, s.engine.match(req, top_k=top_k, include_ineligible=include_ineligible, profile=profile)
