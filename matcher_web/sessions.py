"""Server-side page sessions: the cookie carries an opaque random id, never the API key.

The session's data (the signed-in key's id, the CSRF token, the page language) lives in the
database under the SHA-256 digest of that id. Logging out deletes the row, so a cookie copied
before logout opens nothing afterwards; revoking the key ends its sessions at once (a session
loads only while its key is active). Signing in issues a new id (no session fixation).
``SESSION_COOKIE_SECURE`` (MATCHER_SECURE_COOKIES=1) marks the cookie Secure for HTTPS deployments.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from .db import get_db

SESSION_TTL = 8 * 3600  # seconds of inactivity before a session ends


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode("ascii", "replace")).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, data: dict[str, Any] | None = None, sid: str | None = None, stale: bool = False) -> None:
        def changed(_self: Any) -> None:
            self.modified = True

        super().__init__(data or {}, changed)
        self.sid, self.modified, self.stale = sid, False, stale
        self.old_sid: str | None = None

    def regenerate(self) -> None:
        """A new id for the same data (at sign-in): the old id stops working."""
        self.old_sid, self.sid, self.modified = self.sid, None, True

    def end(self) -> None:
        """Forget this session everywhere (logout)."""
        self.clear()
        self.modified = True


class ServerSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if sid and len(sid) < 100:
            data = get_db().load_session(_digest(sid), time.time())
            if data is not None:
                expires = float(data.pop("_expires", 0))
                return ServerSession(data, sid, stale=expires - time.time() < SESSION_TTL / 2)
        return ServerSession()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
        store = get_db()
        if session.old_sid:
            store.delete_session(_digest(session.old_sid))
        if not session:
            if session.sid:
                store.delete_session(_digest(session.sid))
                response.delete_cookie(name, domain=domain, path=path)
            return
        if not (session.modified or session.stale):
            return
        session.sid = session.sid or secrets.token_urlsafe(32)
        expires = time.time() + SESSION_TTL
        store.save_session(_digest(session.sid), {**session, "_expires": expires}, session.get("key_id"), expires)
        if secrets.randbelow(50) == 0:  # now and then, forget the expired
            store.purge_sessions(time.time())
        response.set_cookie(name, session.sid, max_age=SESSION_TTL, httponly=True, domain=domain, path=path,
                            secure=self.get_cookie_secure(app), samesite=self.get_cookie_samesite(app))
        response.vary.add("Cookie")
