"""Who is calling, and may they: one guard for the API and the pages.

A caller is identified by an API key in a header (``Authorization: Bearer``, ``X-API-Key``) or,
on pages, by the server-side session they signed in to (matcher_web.sessions: the cookie holds an
opaque id, the key never leaves the server). :func:`authorize` decides; the API answers a refusal
with JSON 401/403, a page with the sign-in page or a 403 page. A state-changing API call that a
cookie authenticates must carry the session's CSRF token in ``X-CSRF-Token`` (a page on another
origin can make the browser send the cookie, never read the token).
"""

from __future__ import annotations

import secrets

from flask import g, request, session

from matcher.keys import Principal, authenticate, principal_by_id

from .db import get_db

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class Denied(Exception):
    """401 (nobody we know) or 403 (a role that may not do this, or a cookie call without its CSRF token)."""

    def __init__(self, status: int, role: str | None = None, csrf: bool = False) -> None:
        super().__init__(status)
        self.status, self.role, self.csrf = status, role, csrf


def token_from_request() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("X-API-Key") or None


def current_principal() -> Principal | None:
    if "principal" not in g:
        token, who = token_from_request(), None
        g.by_cookie = False
        if token:
            who = authenticate(get_db(), token)
        elif session.get("key_id"):
            who = principal_by_id(get_db(), str(session["key_id"]))
            g.by_cookie = who is not None
        g.principal = who
        if who is not None:
            get_db().actor = (who.key_id, who.role)  # the audit trail's "who"
    return g.principal


def authorize(roles: tuple[str, ...]) -> Principal:
    """The caller, when their role is one of ``roles``; else :class:`Denied`."""
    who = current_principal()
    if who is None:
        raise Denied(401)
    if who.role not in roles:
        raise Denied(403, who.role)
    return who


def csrf_ok(sent: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected) and bool(sent) and secrets.compare_digest(str(sent), str(expected))


def guard_api(roles: tuple[str, ...]) -> Principal:
    who = authorize(roles)
    if g.by_cookie and request.method not in SAFE_METHODS and not csrf_ok(request.headers.get("X-CSRF-Token")):
        raise Denied(403, who.role, csrf=True)
    return who
