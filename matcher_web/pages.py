"""Server-rendered pages: sign-in, the buyer's request form with explained results, the team desk.

Pages sign in with an API key kept in the (signed, HTTP-only) session cookie and
protect every form with a per-session CSRF token. Templates autoescape all data.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from matcher.errors import MatcherError, RecordError
from matcher.importer import ensure_request_id
from matcher.keys import authenticate
from matcher.outcomes import list_plans
from matcher.schema import BUYER_TYPES
from matcher.shortlist import build as build_shortlist

from .auth import current_principal
from .errors import ApiError, from_matcher_error
from .i18n import LABELS, field_message, pick
from .routes import download_shortlist, import_upload, shortlist_results
from .service import match, parse_record, search_suppliers, state, supplier_view

bp = Blueprint("pages", __name__)

TEXT_FIELDS = ("buyer_name", "buyer_country", "buyer_type", "description", "products", "materials", "quantity",
               "max_lead_time_days", "max_unit_price_eur", "required_certifications",
               "preferred_certifications", "sustainability", "preferred_countries")
FLAGS = ("customization_required", "samples_required", "export_experience_required")


def _lang() -> str:
    lang = pick(request.args.get("lang") or request.form.get("lang") or session.get("lang"),
                request.headers.get("Accept-Language", ""))
    session["lang"] = lang
    return lang


def _csrf() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def _check_csrf() -> None:
    if not secrets.compare_digest(request.form.get("csrf", ""), session.get("csrf", "-")):
        abort(400, "the form expired; reload the page and try again")


def _render(template: str, **context: Any) -> str:
    lang = _lang()
    return render_template(template, t=LABELS[lang], lang=lang, csrf=_csrf(), who=current_principal(), **context)


def _signed_in(*roles: str) -> Any:
    who = current_principal()
    if who is None:
        return redirect(url_for("pages.login", next=request.path))
    if who.role not in roles:
        return _render("forbidden.html"), 403
    return None


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    if request.method == "POST":
        _check_csrf()
        token = request.form.get("key", "").strip()
        with state().lock:
            who = authenticate(state().engine.store, token)
        if who is not None:
            session["token"] = token
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//"):  # no open redirect
                target = url_for("pages.team" if who.role == "team" else "pages.buyer")
            return redirect(target)
        error = "bad_key"
    return _render("login.html", error=error)


@bp.post("/logout")
def logout() -> Any:
    _check_csrf()
    session.pop("token", None)
    return redirect(url_for("pages.login"))


@bp.route("/buyer", methods=["GET", "POST"])
def buyer() -> Any:
    denied = _signed_in("buyer", "team")
    if denied:
        return denied
    who = current_principal()
    values: dict[str, Any] = {"buyer_name": who.buyer or ""} if who else {}
    errors: dict[str, str] = {}
    result = None
    if request.method == "POST":
        _check_csrf()
        lang = _lang()
        values = {f: request.form.get(f, "").strip() for f in TEXT_FIELDS}
        values.update({f: request.form.get(f) == "on" for f in FLAGS})
        if who and who.role == "buyer":
            values["buyer_name"] = who.buyer
        data = {k: v for k, v in values.items() if v not in ("", False)}
        data["language"] = lang
        try:
            req = ensure_request_id(parse_record("request", data))
            _, result = match(req, submit=True, top_k=10, include_ineligible=False, profile=None)
        except RecordError as exc:
            for p in exc.problems:
                errors.setdefault(p.field.split(".")[0] or "description", field_message(p.message, lang))
        except MatcherError as exc:
            errors["description"] = from_matcher_error(exc).message
    return _render("buyer.html", values=values, errors=errors, result=result, buyer_types=BUYER_TYPES,
                   text_fields=TEXT_FIELDS, flags=FLAGS)


@bp.route("/team", methods=["GET", "POST"])
def team() -> Any:
    denied = _signed_in("team")
    if denied:
        return denied
    report, import_error = None, None
    if request.method == "POST":  # supplier sheet upload
        _check_csrf()
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            import_error = LABELS[_lang()]["choose_file"]
        else:
            try:
                report = import_upload(upload, request.form.get("strict") == "on")
            except MatcherError as exc:
                import_error = from_matcher_error(exc).message
            except ApiError as exc:  # wrong file type
                import_error = exc.message
    args = request.args
    with state().lock:
        everything = state().engine.store.suppliers()
        stored = state().engine.store.requests()
    found = search_suppliers(everything, args.get("q", ""), args.get("country", ""), args.get("cluster", ""),
                             args.get("product", ""))
    who = current_principal()
    shortlist = None
    top_k = int(args["top_k"]) if args.get("top_k", "").isdigit() and 1 <= int(args["top_k"]) <= 20 else 5
    if args.get("shortlist") and stored:
        shortlist = build_shortlist(shortlist_results(None, top_k, None))
    return _render("team.html", suppliers=[supplier_view(who, s) for s in found], total=len(everything),
                   report=report, import_error=import_error, shortlist=shortlist, n_requests=len(stored),
                   args=args, top_k=top_k, plans=list_plans(state().engine.store))


@bp.post("/team/shortlist")
def team_shortlist_download() -> Any:
    denied = _signed_in("team")
    if denied:
        return denied
    _check_csrf()
    fmt = request.form.get("format", "csv")
    top_k = request.form.get("top_k", "5")
    if fmt not in ("csv", "xlsx") or not top_k.isdigit() or not 1 <= int(top_k) <= 20:
        abort(400, "format must be csv or xlsx and top_k 1 to 20")
    return download_shortlist(shortlist_results(None, int(top_k), None), fmt)
