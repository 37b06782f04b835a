"""Who is calling, and may they: API keys in a header, or the key a page user signed in with."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request, session

from matcher.keys import Principal, authenticate

from .errors import ApiError


def token_from_request() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("X-API-Key") or None


def current_principal() -> Principal | None:
    if "principal" not in g:
        token = token_from_request() or session.get("token")
        with current_app.extensions["matcher"].lock:
            g.principal = authenticate(current_app.extensions["matcher"].engine.store, token)
    return g.principal


def require(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """401 without a valid key, 403 when the key's role is not in ``roles``."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            who = current_principal()
            if who is None:
                raise ApiError(401, "unauthorized", "a valid API key is required (Authorization: Bearer <key>)",
                               headers={"WWW-Authenticate": 'Bearer realm="matcher"'})
            if who.role not in roles:
                raise ApiError(403, "forbidden", f"the {who.role} role may not do this")
            return view(*args, **kwargs)

        wrapper.roles = roles  # type: ignore[attr-defined]  # read by the OpenAPI builder
        return wrapper

    return decorate
