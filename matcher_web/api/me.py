"""A participant's own side: a supplier's matching requests, gaps and profile; each side's agenda,
calendar, meeting outcomes and notifications; for the team, the e-mail outbox and outcome conflicts."""

from __future__ import annotations

import io
from typing import Any, Literal

from flask import Blueprint, Response, send_file
from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from matcher import notify
from matcher.errors import ForbiddenError
from matcher.fair.agendas import Agenda, Conflict, agenda, own_calendar, record_own_outcome, side_grades
from matcher.reverse import SupplierMatches, supplier_matches
from matcher.schema import Supplier
from matcher.supplier_profile import EDITABLE, check_editable, edit_profile, editable_view

from ..auth import authorize
from ..contract import FileResponse, operation
from ..db import get_db, get_engine, wait_for_index
from ..models import OutcomeBody
from ..params import TopKParam
from . import ANALYSTS, PROFILE_EDITORS, SIDES, SUPPLIER, TEAM

bp = Blueprint("me", __name__, url_prefix="/api/v1")
Locale = Literal["en", "fr", "de", "it", "ar", "es"]


class LocaleQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    lang: Locale | None = Field(default=None, description="language of the texts (default: the workshop's own)")


class MatchesQuery(LocaleQuery):
    top_k: TopKParam | None = Field(default=None, description="matching requests to return (default: all)")


def _optional(name: str) -> tuple[Any, Any]:
    """A Supplier field, as Supplier declares it, that a partial edit may leave out."""
    info = Supplier.model_fields[name]
    return info.annotation, FieldInfo.merge_field_infos(info, default=None)


# Fields a workshop may change (any subset), each as the Supplier schema declares it; the edited record
# is validated whole by Supplier (e.g. price_min_eur at most price_max_eur), so a 422 may still name a field.
ProfileEdit = create_model("ProfileEdit", __config__=ConfigDict(extra="forbid"),
                           **{name: _optional(name) for name in EDITABLE})  # type: ignore[call-overload]


class Profile(BaseModel):
    supplier_id: str
    editable: dict[str, Any] = Field(description="the fields a workshop may change, as stored")
    editable_fields: list[str]
    changed: list[str] = Field(default=[], description="fields this call changed (recorded in the audit trail)")


class Notification(BaseModel):
    notification_id: int
    event: str
    text: str
    created_at: str
    read: bool


class NotificationList(BaseModel):
    notifications: list[Notification]


class OutboxEntry(BaseModel):
    notification_id: int
    recipient_kind: str
    recipient: str
    event: str
    email: str | None
    email_state: Literal["pending", "sent"]
    attempts: int
    next_attempt: float | None
    last_error: str | None
    created_at: str
    sent_at: str | None


class Outbox(BaseModel):
    entries: list[OutboxEntry]


class ContactSharing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    share: bool = Field(description="buyers whose meeting request was accepted see the workshop's contact e-mail")


class ConflictList(BaseModel):
    conflicts: list[Conflict]


@operation(bp, "/me/matches", "GET", query=MatchesQuery, roles=SUPPLIER, responses={200: SupplierMatches})
def my_matches(query: MatchesQuery) -> SupplierMatches:
    """The open buyer requests that match this workshop, ranked and explained, and its profile gaps."""
    who = authorize(SUPPLIER)
    return supplier_matches(get_engine(), who.supplier or "", query.lang, query.top_k)


def _profile(supplier: Supplier, changed: list[str] | None = None) -> Profile:
    return Profile(supplier_id=supplier.supplier_id, editable=editable_view(supplier), editable_fields=list(EDITABLE),
                   changed=changed or [])


@operation(bp, "/suppliers/<supplier_id>/profile", "GET", roles=PROFILE_EDITORS, responses={200: Profile},
           errors=(404,))
def get_profile(supplier_id: str) -> Profile:
    """A workshop's editable profile (a supplier key: its own only)."""
    who = authorize(PROFILE_EDITORS)
    if who.role == "supplier" and supplier_id != who.supplier:
        raise ForbiddenError(f"this key speaks for supplier '{who.supplier}': it cannot read the profile of "
                             f"'{supplier_id}'")
    return _profile(get_db().get_supplier(supplier_id))


@operation(bp, "/suppliers/<supplier_id>/profile", "PATCH", body=ProfileEdit, parse=check_editable,
           roles=PROFILE_EDITORS, responses={200: Profile}, errors=(404,))
def patch_profile(supplier_id: str, body: Any) -> Profile:
    """Change some of a workshop's own fields; every problem named, nothing written on any.

    Fields outside the editable list (supplier_id, name, country, region, cluster, extra columns) are
    refused. Who changed which fields, and when, goes to the audit trail."""
    from ..contract import validate

    if not isinstance(body, dict):
        validate(ProfileEdit, body, "request body")  # the contract's own message for a non-object
    who = authorize(PROFILE_EDITORS)
    updated, changed = edit_profile(get_db(), who, supplier_id, body)
    if changed:
        wait_for_index()
    return _profile(updated, changed)


@operation(bp, "/me/contact-sharing", "GET", roles=SUPPLIER, responses={200: ContactSharing})
def get_contact_sharing() -> ContactSharing:
    """Whether buyers whose meeting you accepted see your contact e-mail (not until you allow it)."""
    return ContactSharing(share=get_db().shares_contact(authorize(SUPPLIER).supplier or ""))


@operation(bp, "/me/contact-sharing", "PUT", body=ContactSharing, roles=SUPPLIER, responses={200: ContactSharing})
def put_contact_sharing(body: ContactSharing) -> ContactSharing:
    """Allow (or stop) buyers whose meeting you accepted seeing your contact e-mail."""
    get_db().set_contact_sharing(authorize(SUPPLIER).supplier or "", body.share)
    return body


@operation(bp, "/me/agenda", "GET", roles=SIDES, responses={200: Agenda})
def my_agenda() -> Agenda:
    """Your meetings in the newest plan that has any: time, table, counterpart, why, your outcome."""
    return agenda(get_db(), authorize(SIDES))


@operation(bp, "/me/agenda/<plan_id>/calendar.ics", "GET", roles=SIDES,
           responses={200: FileResponse(("text/calendar",), "Your meetings as iCalendar")}, errors=(404,))
def my_calendar(plan_id: str) -> Response:
    """Your meetings of a plan as an .ics file."""
    body = own_calendar(get_db(), authorize(SIDES), plan_id)
    return send_file(io.BytesIO(body), mimetype="text/calendar", as_attachment=True,
                     download_name=f"{plan_id}.ics")


@operation(bp, "/me/agenda/<plan_id>/outcomes/<meeting_id>", "PUT", body=OutcomeBody, roles=SIDES,
           responses={204: None}, errors=(404,))
def my_outcome(plan_id: str, meeting_id: str, body: OutcomeBody) -> tuple[None, int]:
    """Record what came of one of your meetings (both sides' outcomes feed the judgments)."""
    record_own_outcome(get_db(), authorize(SIDES), plan_id, meeting_id, body.outcome, body.note)
    return None, 204


@operation(bp, "/me/notifications", "GET", query=LocaleQuery, roles=SIDES, responses={200: NotificationList})
def my_notifications(query: LocaleQuery) -> NotificationList:
    """Your notifications, newest first, in your language."""
    who = authorize(SIDES)
    kind, ident = (who.role, who.buyer if who.role == "buyer" else who.supplier)
    rows = get_db().notifications_for(kind, ident or "")
    return NotificationList(notifications=[Notification(
        notification_id=r["notification_id"], event=r["event"], text=notify.text(r, query.lang or "fr"),
        created_at=r["created_at"], read=r["read_at"] is not None) for r in rows])


@operation(bp, "/outbox", "GET", roles=TEAM, responses={200: Outbox})
def outbox() -> Outbox:
    """Every notification e-mail and its delivery state (pending ones are retried with back-off)."""
    return Outbox(entries=[OutboxEntry.model_validate(r) for r in get_db().outbox()])


@operation(bp, "/fairs/<plan_id>/outcome-conflicts", "GET", roles=ANALYSTS, responses={200: ConflictList},
           errors=(404,))
def outcome_conflicts(plan_id: str) -> ConflictList:
    """Meetings whose buyer and supplier recorded different outcomes (graded by the lower one)."""
    return ConflictList(conflicts=side_grades(get_db(), plan_id)[1])
