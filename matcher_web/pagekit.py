"""What every page shares: its language, its text (the message catalogue), the CSRF token,
rendering, and the page side of the one guard (sign-in page or 403 page on refusal)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import unquote

from flask import abort, redirect, render_template, request, session, url_for

from matcher import i18n

from .auth import Denied, authorize, csrf_ok, current_principal

_PREFIXES = (("factor_", "factor."), ("outcome_", "outcome."), ("wish_", "wish."))


class PageText:
    """``t.submit`` in templates: the catalogue's ``page.submit`` in the page's locale."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def __getitem__(self, key: str) -> str:
        for prefix, section in _PREFIXES:
            if key.startswith(prefix):
                return i18n.text(self.locale, section + key[len(prefix):])
        return i18n.text(self.locale, f"page.{key}")

    __getattr__ = __getitem__

    def get(self, key: str, default: str = "") -> str:
        try:
            return self[key]
        except KeyError:
            return default


class SectionText:
    """``ut.title`` in templates: the catalogue's ``<section>.title`` in a given locale (not the page's)."""

    def __init__(self, locale: str, section: str) -> None:
        self.locale, self.section = locale, section

    def __getitem__(self, key: str) -> str:
        return i18n.text(self.locale, f"{self.section}.{key}")

    __getattr__ = __getitem__


def page_lang() -> str:
    """?lang=, the form's lang, the session's, else the browser's best shipped locale."""
    chosen = request.args.get("lang") or request.form.get("lang") or session.get("lang")
    if chosen not in i18n.locales():
        chosen = request.accept_languages.best_match(i18n.locales()) or i18n.DEFAULT_LOCALE
    if session.get("lang") != chosen:
        session["lang"] = chosen
    return chosen


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    """Every form POST carries its session's token (a session must exist: no token, no entry)."""
    if not csrf_ok(request.form.get("csrf")):
        abort(400, "the form expired; reload the page and try again")


_LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~/%?=&+]*")


def local_target(target: str | None) -> str | None:
    """``target`` when it is a path on this site (no scheme, host, '//', backslash or control character)."""
    if not target or not _LOCAL_PATH.fullmatch(target):
        return None
    decoded = unquote(target)  # "/%09/x" is "/\t/x" once a browser has decoded it
    return target if _LOCAL_PATH.fullmatch(decoded) else None


def render(template: str, **context: Any) -> str:
    lang = page_lang()
    return render_template(template, t=PageText(lang), lang=lang, dir=i18n.direction(lang), locales=i18n.locales(),
                           csrf=csrf_token(), who=current_principal(), **context)


def page(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Sign-in required (else to the login page), one of ``roles`` (else 403), CSRF token on POST."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                authorize(roles)
            except Denied as denied:
                if denied.status == 401:
                    return redirect(url_for("pages.login", next=request.path))
                return render("forbidden.html"), 403
            if request.method == "POST":
                check_csrf()
            return view(*args, **kwargs)

        return wrapper

    return decorate
