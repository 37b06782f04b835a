"""What buyers and suppliers share on their pages: meeting requests (ask from a match, answer,
withdraw), their own agenda with its calendar and their outcomes, their notifications; and the
team's view of every request flow, with its overrides and the e-mail outbox."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, request, send_file, url_for

from matcher import meetings, notify
from matcher.errors import MatcherError
from matcher.fair.agendas import agenda, own_calendar, record_own_outcome
from matcher.fair.model import OUTCOME_GRADES
from matcher.fair.requested import effect
from matcher.keys import Principal

from .api.meetings import deadline
from .auth import current_principal
from .db import get_db, get_engine
from .errors import from_matcher_error
from .pagekit import page, page_lang, render

bp = Blueprint("participant_pages", __name__)
BUYER_MATCHES_SHOWN = 5  # suppliers offered per request on the buyer's agenda page


def participant_context(who: Principal) -> dict[str, Any]:
    """Meeting requests (each with who may do what), the agenda and the notifications of ``who``."""
    store = get_db()
    meetings.expire(store, deadline())
    mine = "buyer" if who.role == "buyer" else "supplier"
    flows = [{"m": m, "sent": m.from_side == mine, "open": m.state == "requested"}
             for m in reversed(meetings.visible_requests(store, who))]
    ident = who.buyer if who.role == "buyer" else who.supplier
    notes = [{"text": notify.text(r, page_lang()), "at": r["created_at"], "read": r["read_at"] is not None}
             for r in store.notifications_for(mine, ident or "", 20)]
    return {"flows": flows, "agenda": agenda(store, who), "notifications": notes, "outcomes": list(OUTCOME_GRADES)}


def _buyer_matches(who: Principal) -> list[tuple[Any, list[Any]]]:
    """Each of the buyer's requests with its best offered suppliers (to ask for a meeting)."""
    engine, out = get_engine(), []
    for r in engine.store.requests():
        if r.buyer_name != who.buyer:
            continue
        try:
            out.append((r, engine.match(r, top_k=BUYER_MATCHES_SHOWN).matches))
        except MatcherError:  # a request that cannot be ranked (no quantity) shows without matches
            out.append((r, []))
    return out


def _agenda_page(error: str | None = None, status: int = 200) -> Any:
    who = current_principal()
    assert who is not None
    if who.role == "supplier":
        return redirect(url_for("supplier_pages.supplier_page", _anchor="agenda"))
    asked = {(m.request_id, m.supplier_id) for m in meetings.visible_requests(get_db(), who)
             if m.state in meetings.LIVE_STATES}
    return render("participant.html", buyer_matches=_buyer_matches(who), asked=asked, error=error,
                  notice=request.args.get("done"), **participant_context(who)), status


@bp.get("/agenda")
@page("buyer", "supplier")
def agenda_page() -> Any:
    return _agenda_page()


def _back(done: str, anchor: str) -> Any:
    who = current_principal()
    view = "supplier_pages.supplier_page" if who and who.role == "supplier" else "participant_pages.agenda_page"
    return redirect(url_for(view, done=done, _anchor=anchor))


def _failed(exc: MatcherError) -> Any:
    who = current_principal()
    message = from_matcher_error(exc).message
    if who and who.role == "supplier":
        from .supplier_pages import _supplier_page

        return _supplier_page(errors={"flow": message}, status=422)
    return _agenda_page(error=message, status=422)


def _act(action: Callable[[Principal], Any], done: str, anchor: str) -> Any:
    """Run a form's action as the caller: back to its page with a notice, or the page with the error."""
    who = current_principal()
    assert who is not None
    try:
        action(who)
    except MatcherError as exc:
        return _failed(exc)
    return _back(done, anchor)


@bp.post("/participant/ask")
@page("buyer")
def buyer_ask() -> Any:
    """A buyer asks a supplier of one of its request's matches for a meeting."""
    form = request.form
    return _act(lambda who: meetings.ask(get_engine(), who, form.get("request_id", ""), form.get("supplier_id", ""),
                                         form.get("message"), deadline()), "asked", "meeting-requests")


@bp.post("/participant/answer")
@page("buyer", "supplier")
def answer() -> Any:
    form = request.form
    return _act(lambda who: meetings.answer(get_db(), who, form.get("meeting_request_id", ""),
                                            form.get("accept") == "yes", form.get("message"), deadline()),
                "answered", "meeting-requests")


@bp.post("/participant/withdraw")
@page("buyer", "supplier")
def withdraw() -> Any:
    return _act(lambda who: meetings.withdraw(get_db(), who, request.form.get("meeting_request_id", "")),
                "withdrawn", "meeting-requests")


@bp.post("/participant/outcome")
@page("buyer", "supplier")
def outcome() -> Any:
    form = request.form
    return _act(lambda who: record_own_outcome(get_db(), who, form.get("plan_id", ""), form.get("meeting_id", ""),
                                               form.get("outcome", ""), form.get("note")), "recorded", "agenda")


@bp.get("/agenda/<plan_id>.ics")
@page("buyer", "supplier")
def calendar(plan_id: str) -> Any:
    who = current_principal()
    assert who is not None
    body = own_calendar(get_db(), who, plan_id)
    return send_file(io.BytesIO(body), mimetype="text/calendar", as_attachment=True, download_name=f"{plan_id}.ics")


@bp.route("/team/meetings", methods=["GET", "POST"])
@page("team")
def team_meetings() -> Any:
    """Every meeting request, what the planner makes of it (the team may override), and the outbox."""
    store = get_db()
    if request.method == "POST":
        chosen = request.form.get("effect", "")
        meetings.override(store, request.form.get("meeting_request_id", ""),
                          chosen if chosen in ("must_meet", "would_like", "do_not_meet", "none") else None)  # type: ignore[arg-type]
        return redirect(url_for("participant_pages.team_meetings", done="saved"))
    meetings.expire(store, deadline())
    rows = [{"m": m, "effect": effect(m.model_dump())} for m in meetings.visible_requests(store, current_principal())]  # type: ignore[arg-type]
    return render("team_meetings.html", rows=rows, outbox=store.outbox(), notice=request.args.get("done"),
                  page_title="team_meetings")
