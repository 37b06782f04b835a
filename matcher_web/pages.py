"""Server-rendered pages: sign-in, the buyer's request form with explained results, the team desk.

Pages sign in with an API key into a server-side session (matcher_web.sessions: the cookie holds
an opaque id) and protect every form, the sign-in form included, with a per-session CSRF token.
Templates autoescape all data; text comes from the catalogue.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, redirect, request, session, url_for

from matcher import i18n
from matcher.bounds import SHORTLIST_DEFAULT_TOP_K, SHORTLIST_TOP_K
from matcher.catalogue import search_suppliers
from matcher.errors import FileFormatError, MatcherError, RecordError
from matcher.exports.shortlist import build as build_shortlist
from matcher.exports.shortlist import min_score_of
from matcher.io.importer import ImportReport, ensure_request_id
from matcher.io.rejects import rejects_data_uri
from matcher.jobs import Job, job_view, submit
from matcher.jobs.model import params_text
from matcher.jobs.tasks import IMPORT_TYPES
from matcher.keys import authenticate
from matcher.schema import BUYER_TYPES, validate_record

from .api.suppliers import catalogue, import_upload, supplier_view, upload_name
from .api.team import download_shortlist, shortlist_results
from .auth import current_principal
from .db import get_db, get_engine, resources
from .errors import ApiError, from_matcher_error
from .market_pages import buyer_consortia
from .pagekit import PageText, SectionText, check_csrf, local_target, page, page_lang, render
from .params import parse_columns

bp = Blueprint("pages", __name__)

TEXT_FIELDS = ("buyer_name", "buyer_country", "buyer_type", "language", "description", "products", "materials",
               "quantity", "max_lead_time_days", "max_unit_price_eur", "required_certifications",
               "preferred_certifications", "sustainability", "preferred_countries")
FLAGS = ("customization_required", "samples_required", "export_experience_required")
TEAM_PAGE_ROWS = 200  # a cluster of thousands is searched, not scrolled


def _top_k(raw: str | None) -> int | None:
    low, high = SHORTLIST_TOP_K
    return int(raw) if raw and raw.isdigit() and low <= int(raw) <= high else None


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    if request.method == "POST":
        check_csrf()
        token = request.form.get("key", "").strip()
        who = authenticate(get_db(), token)
        if who is not None:
            session.regenerate()  # type: ignore[attr-defined]  # a new id at sign-in (no fixation)
            session["key_id"], session["csrf"] = who.key_id, secrets.token_urlsafe(24)
            target = local_target(request.args.get("next")) or url_for(
                {"team": "pages.team", "supplier": "supplier_pages.supplier_page"}.get(who.role, "pages.buyer"))
            return redirect(target)
        error = "bad_key"
    return render("login.html", error=error)


@bp.post("/logout")
def logout() -> Any:
    check_csrf()
    session.end()  # type: ignore[attr-defined]  # the row goes: a copied cookie opens nothing
    return redirect(url_for("pages.login"))


@bp.route("/buyer", methods=["GET", "POST"])
@page("buyer", "team")
def buyer() -> Any:
    who = current_principal()
    values: dict[str, Any] = {"buyer_name": who.buyer or ""} if who else {}
    errors: dict[str, str] = {}
    result, consortia = None, None
    ignored = request.form.getlist("ignore")
    if request.method == "POST":
        lang = page_lang()
        values = {f: request.form.get(f, "").strip() for f in TEXT_FIELDS}
        values.update({f: request.form.get(f) == "on" for f in FLAGS})
        if who and who.role == "buyer":
            values["buyer_name"] = who.buyer
        data: dict[str, Any] = {k: v for k, v in values.items() if v not in ("", False)}
        data["ignore"] = ignored  # items read from the text that the buyer removed (chips)
        try:  # the request's language is its own (chosen, or detected from its text), never the page's
            req = ensure_request_id(validate_record("request", data, file="form"))  # type: ignore[arg-type]
            _, result = get_engine().submit(req, top_k=10, include_ineligible=False)
            consortia = buyer_consortia(req)  # groups, when no single workshop can fill it (_consortia.html)
        except RecordError as exc:
            for p in exc.problems:
                errors.setdefault(p.field.split(".")[0] or "description", p.text(lang))
        except MatcherError as exc:
            errors["description"] = from_matcher_error(exc).message
    return render("buyer.html", values=values, errors=errors, result=result, buyer_types=BUYER_TYPES,
                  text_fields=TEXT_FIELDS, flags=FLAGS, ignored=set(ignored), consortia=consortia,
                  **understood_view(result))


def understood_view(result: Any) -> dict[str, Any]:
    """What the page shows of a result's interpretation, in the request's language and direction."""
    it = result.interpretation if result is not None else None
    loc = i18n.locale_for(it.language if it else None)
    notes: dict[str, list[Any]] = {}
    for note in (it.terms if it else []):
        notes.setdefault(note.field, []).append(note)
    name = i18n.language_name(it.language, loc) if it else ""
    if it and it.language_source == "detected":
        name += f" ({i18n.text(loc, 'understood.detected')})"
    return {"understood": it, "term_notes": notes, "result_lang": loc, "result_dir": i18n.direction(loc),
            "ut": SectionText(loc, "understood"), "request_languages": REQUEST_LANGUAGES,
            "language_line": i18n.msg(loc, "understood.language", name=name) if it else ""}


REQUEST_LANGUAGES = [(code, i18n.language_name(code, code)) for code in ("en", "fr", "ar", "de", "it", "es")]


@bp.route("/team", methods=["GET", "POST"])
@page("team")
def team() -> Any:
    import_error = None
    if request.method == "POST":  # supplier sheet upload: a background job, then this page shows its progress
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            import_error = PageText(page_lang())["choose_file"]
        else:
            try:
                if not upload_name(upload).lower().endswith(IMPORT_TYPES):
                    raise FileFormatError(upload_name(upload), f"supplier sheets must be {', '.join(IMPORT_TYPES)}")
                job_id = import_upload(upload, request.form.get("strict") == "on",
                                       parse_columns(request.form.get("public_columns", "")))
                return redirect(url_for("pages.team", job=job_id))
            except MatcherError as exc:
                import_error = from_matcher_error(exc).message
            except ApiError as exc:  # wrong file type
                import_error = exc.message
    job = page_job(request.args.get("job"))
    report = ImportReport.model_validate(job.result) if job and job.kind == "import_suppliers" and job.result else None
    if job and job.kind == "import_suppliers" and job.state == "failed":
        import_error = job.error
    args, store = request.args, get_db()
    everything, stored = catalogue(), store.requests()
    found = search_suppliers(everything, args.get("q", ""), args.get("country", ""), args.get("cluster", ""),
                             args.get("product", ""))
    who = current_principal()
    top_k = _top_k(args.get("top_k")) or SHORTLIST_DEFAULT_TOP_K
    min_score = min_score_of(args.get("min_score"))
    results = shortlist_results(None, top_k, None) if args.get("shortlist") and stored else []
    shortlist = build_shortlist(results, min_score, page_lang()) if results else None
    shortlist_langs = {req.request_id: i18n.locale_for(res.interpretation.language if res.interpretation else None)
                       for req, res in results}  # each buyer's reasons are in its request's language
    return render("team.html", suppliers=[supplier_view(who, s) for s in found[:TEAM_PAGE_ROWS]],
                  n_found=len(found), total=len(everything), report=report, import_error=import_error,
                  shortlist=shortlist, n_requests=len(stored), args=args, top_k=top_k,
                  top_k_bounds=SHORTLIST_TOP_K, plans=store.plans(), job=job, busy=busy_kinds(),
                  rejects_href=rejects_data_uri(report), shortlist_langs=shortlist_langs)


@bp.post("/team/evaluation")
@page("team")
def team_evaluation() -> Any:
    """Evaluate the server's profile on the configured judgments as a background job (or show the result)."""
    store, r = get_db(), resources()
    params = {"profile": f"{r.profile.name}@{r.profile.version}", "suppliers_version": store.suppliers_version()}
    job = store.find_job("evaluation", params_text(params), ("done", "queued", "running"))
    job_id = job["job_id"] if job else submit(store, "evaluation", params)
    return redirect(url_for("pages.team", job=job_id, _anchor="evaluation-section"))


def page_job(job_id: str | None) -> Job | None:
    """The job a page follows (?job=), when the caller may see it."""
    if not job_id:
        return None
    try:
        row = get_db().get_job(job_id)
    except MatcherError:
        return None
    return job_view(row)


def busy_kinds() -> set[str]:
    """Kinds of job queued or running now: their buttons are disabled until they finish."""
    store = get_db()
    return {r["kind"] for state in ("queued", "running") for r in store.jobs(state=state)}


@bp.post("/team/shortlist")
@page("team")
def team_shortlist_download() -> Any:
    fmt, top_k = request.form.get("format", "csv"), _top_k(request.form.get("top_k", str(SHORTLIST_DEFAULT_TOP_K)))
    if fmt not in ("csv", "zip", "xlsx", "html") or top_k is None:
        abort(400, f"format must be csv, zip, xlsx or html and top_k {SHORTLIST_TOP_K[0]} to {SHORTLIST_TOP_K[1]}")
    return download_shortlist(shortlist_results(None, top_k, None), fmt, min_score_of(request.form.get("min_score")))
