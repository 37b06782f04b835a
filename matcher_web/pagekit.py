"""What every page shares: language, CSRF token, rendering, and the sign-in/role/CSRF guard."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, redirect, render_template, request, session, url_for

from .auth import current_principal
from .i18n import LABELS, pick


def page_lang() -> str:
    lang = pick(request.args.get("lang") or request.form.get("lang") or session.get("lang"),
                request.headers.get("Accept-Language", ""))
    session["lang"] = lang
    return lang


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    if not secrets.compare_digest(request.form.get("csrf", ""), session.get("csrf", "-")):
        abort(400, "the form expired; reload the page and try again")


def render(template: str, **context: Any) -> str:
    lang = page_lang()
    return render_template(template, t=LABELS[lang], lang=lang, csrf=csrf_token(), who=current_principal(), **context)


def page(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Sign-in required (else to the login page), one of ``roles`` (else 403), CSRF token on POST."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            who = current_principal()
            if who is None:
                return redirect(url_for("pages.login", next=request.path))
            if who.role not in roles:
                return render("forbidden.html"), 403
            if request.method == "POST":
                check_csrf()
            return view(*args, **kwargs)

        return wrapper

    return decorate
