"""Who is calling, and may they: one guard for the API and the pages.

A caller is identified by an API key in a header (``Authorization: Bearer``, ``X-API-Key``) or,
on pages, by the key they signed in with. :func:`authorize` decides; the API answers a refusal
with JSON 401/403, a page with the sign-in page or a 403 page.
"""

from __future__ import annotations

from flask import g, request, session

from matcher.keys import Principal, authenticate

from .db import get_db


class Denied(Exception):
    """401 (nobody we know) or 403 (a role that may not do this)."""

    def __init__(self, status: int, role: str | None = None) -> None:
        super().__init__(status)
        self.status, self.role = status, role


def token_from_request() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("X-API-Key") or None


def current_principal() -> Principal | None:
    if "principal" not in g:
        g.principal = authenticate(get_db(), token_from_request() or session.get("token"))
    return g.principal


def authorize(roles: tuple[str, ...]) -> Principal:
    """The caller, when their role is one of ``roles``; else :class:`Denied`."""
    who = current_principal()
    if who is None:
        raise Denied(401)
    if who.role not in roles:
        raise Denied(403, who.role)
    return who


def guard_api(roles: tuple[str, ...]) -> Principal:
    return authorize(roles)
