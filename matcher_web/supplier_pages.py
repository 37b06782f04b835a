"""The workshop's own page (phone first; French, Arabic right to left, English...): the open requests
that match it, ranked and explained in its language, what its profile lacks, its editable profile,
and the participant's part shared with buyers (meeting requests, agenda, notifications:
matcher_web.participant_pages)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, request, url_for

from matcher import meetings
from matcher.errors import MatcherError, RecordError
from matcher.reverse import supplier_matches
from matcher.supplier_profile import EDITABLE, edit_profile, editable_view

from .api.meetings import deadline
from .auth import current_principal
from .db import get_db, get_engine, wait_for_index
from .errors import from_matcher_error
from .pagekit import page, page_lang, render
from .participant_pages import participant_context

bp = Blueprint("supplier_pages", __name__)
LIST_FIELDS = ("products", "hs_codes", "materials", "techniques", "certifications", "sustainability",
               "export_markets", "languages")
CHOICE_FIELDS = ("customization", "samples")
NUMBER_FIELDS = ("monthly_capacity", "min_order_qty", "lead_time_days", "price_min_eur", "price_max_eur", "employees")


def _form_value(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _supplier_page(errors: dict[str, str] | None = None, values: dict[str, str] | None = None,
                   notice: str | None = None, status: int = 200) -> Any:
    who = current_principal()
    assert who is not None and who.supplier
    lang = page_lang()
    supplier = get_db().get_supplier(who.supplier)
    found = supplier_matches(get_engine(), who.supplier, lang)
    asked = {m.request_id for m in meetings.visible_requests(get_db(), who) if m.state in meetings.LIVE_STATES}
    shown = values or {k: _form_value(v) for k, v in editable_view(supplier).items()}
    html = render("supplier.html", supplier=supplier, found=found, asked=asked, values=shown, errors=errors or {},
                  fields=EDITABLE, list_fields=LIST_FIELDS, choice_fields=CHOICE_FIELDS, number_fields=NUMBER_FIELDS,
                  notice=notice or request.args.get("done"), page_title="supplier_page",
                  shares_contact=get_db().shares_contact(who.supplier),
                  **participant_context(who))
    return html, status


@bp.get("/supplier")
@page("supplier")
def supplier_page() -> Any:
    return _supplier_page()


@bp.post("/supplier/ask")
@page("supplier")
def supplier_ask() -> Any:
    """Ask the buyer of a matching request for a meeting."""
    who = current_principal()
    assert who is not None
    try:
        meetings.ask(get_engine(), who, request.form.get("request_id", ""), who.supplier or "",
                     request.form.get("message"), deadline())
    except MatcherError as exc:
        return _supplier_page(errors={"ask": from_matcher_error(exc).message}, status=422)
    return redirect(url_for("supplier_pages.supplier_page", done="asked", _anchor="meeting-requests"))


@bp.post("/supplier/contact-sharing")
@page("supplier")
def supplier_contact_sharing() -> Any:
    """Allow or stop buyers whose meeting was accepted seeing the workshop's e-mail."""
    who = current_principal()
    assert who is not None
    get_db().set_contact_sharing(who.supplier or "", request.form.get("share") == "on")
    return redirect(url_for("supplier_pages.supplier_page", done="saved", _anchor="profile"))


@bp.post("/supplier/profile")
@page("supplier")
def supplier_profile() -> Any:
    """Save the editable fields (blank: no value); every problem shown beside its field, nothing written."""
    who = current_principal()
    assert who is not None
    values = {k: request.form.get(k, "").strip() for k in EDITABLE}
    changes: dict[str, Any] = {}
    for key, text in values.items():
        if key in LIST_FIELDS:
            changes[key] = text
        elif key in CHOICE_FIELDS:
            changes[key] = {"yes": True, "no": False}.get(text)
        else:
            changes[key] = text or None
    lang = page_lang()
    try:
        _, changed = edit_profile(get_db(), who, who.supplier or "", changes)
    except RecordError as exc:
        errors: dict[str, str] = {}
        for p in exc.problems:
            errors.setdefault(p.field.split(".")[0] or "description", p.text(lang))
        return _supplier_page(errors=errors, values=values, status=422)
    except MatcherError as exc:
        return _supplier_page(errors={"description": from_matcher_error(exc).message}, values=values, status=422)
    if changed:
        wait_for_index()
    return redirect(url_for("supplier_pages.supplier_page", done="saved" if changed else "unchanged",
                            _anchor="profile"))
