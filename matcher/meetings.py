"""Meeting requests, both ways: a buyer asks a supplier from a match result, a supplier asks a buyer
from a matching request; the other side accepts or declines, with an optional message.

States: requested -> accepted | declined | withdrawn (by the side that asked) | expired (unanswered
when requests close). A pair (request, supplier) holds one live request at a time: asking again while
one is requested, accepted or declined is refused. Every refusal raises before anything is written;
every change writes its audit row and the other side's notification in the same transaction.
Which side a caller speaks for comes from its key (matcher.keys.Principal); SQL is in matcher.store.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from matcher.engine import Engine
from matcher.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from matcher.keys import Principal
from matcher.notify import notify
from matcher.store import Store

State = Literal["requested", "accepted", "declined", "withdrawn", "expired"]
Side = Literal["buyer", "supplier"]
Effect = Literal["must_meet", "would_like", "do_not_meet", "none"]
LIVE_STATES = ("requested", "accepted", "declined")
MESSAGE_MAX_LENGTH = 1000


class MeetingRequest(BaseModel):
    meeting_request_id: str
    request_id: str
    supplier_id: str
    from_side: Side = Field(description="who asked: the buyer (of the request) or the supplier")
    state: State
    message: str | None = None
    answer: str | None = Field(default=None, description="the other side's message with its answer")
    override: Effect | None = Field(default=None, description="the team's decision for the fair planner, "
                                    "replacing what the state gives")
    created_at: str
    updated_at: str
    shared_email: str | None = Field(default=None, description="the supplier's e-mail: shown to the buyer once the "
                                      "meeting is accepted, and only if the supplier allowed it")


def _for(store: Store, who: Principal, row: dict[str, Any]) -> MeetingRequest:
    """The request as ``who`` sees it: a buyer gets the supplier's e-mail once accepted, if allowed."""
    out = MeetingRequest(**row)
    if who.role == "buyer" and out.state == "accepted" and store.shares_contact(out.supplier_id):
        found = store.get_suppliers([out.supplier_id]).get(out.supplier_id)
        out.shared_email = found.contact_email if found else None
    return out


def side_of(who: Principal) -> Side:
    if who.role == "buyer":
        return "buyer"
    if who.role == "supplier":
        return "supplier"
    raise ForbiddenError(f"only buyers and suppliers ask for or answer meetings (this key is {who.role})")


def can_see(store: Store, who: Principal, row: dict[str, Any]) -> bool:
    if who.role == "team":
        return True
    if who.role == "supplier":
        return row["supplier_id"] == who.supplier
    if who.role == "buyer":
        return store.request_owner(row["request_id"]) == who.buyer
    return False


def visible_requests(store: Store, who: Principal) -> list[MeetingRequest]:
    """The meeting requests the caller is a party to (the team: all)."""
    if who.role == "team":
        rows = store.meeting_requests()
    elif who.role == "supplier":
        rows = store.meeting_requests(supplier_id=who.supplier or "")
    elif who.role == "buyer":
        own = [str(r.request_id) for r in store.requests() if r.buyer_name == who.buyer]
        rows = store.meeting_requests(request_ids=own)
    else:
        rows = []
    return [_for(store, who, r) for r in rows]


def get_visible(store: Store, who: Principal, meeting_request_id: str) -> MeetingRequest:
    """The meeting request, or 404 as if it did not exist when the caller is not a party to it."""
    row = store.get_meeting_request(meeting_request_id)
    if not can_see(store, who, row):
        raise NotFoundError("meeting request", meeting_request_id)
    return _for(store, who, row)


def _closed(deadline: datetime | None, at: datetime | None = None) -> bool:
    return deadline is not None and (at or datetime.now(UTC)) > deadline


def _message(text: str | None) -> str | None:
    text = (text or "").strip() or None
    if text is not None and len(text) > MESSAGE_MAX_LENGTH:
        raise InputError(f"message: at most {MESSAGE_MAX_LENGTH} characters (got {len(text)})")
    return text


def ask(engine: Engine, who: Principal, request_id: str, supplier_id: str, message: str | None = None,
        deadline: datetime | None = None) -> MeetingRequest:
    """A buyer asks ``supplier_id`` to meet about its request ``request_id``, or a supplier (its own id)
    asks the buyer of ``request_id``. The pair must match (the supplier would be offered for the request)."""
    from matcher.reverse import pair_offered

    store, side = engine.store, side_of(who)
    text = _message(message)
    if side == "buyer" and store.request_owner(request_id) != who.buyer:
        raise NotFoundError("request", request_id)
    if side == "supplier" and supplier_id != who.supplier:
        raise ForbiddenError(f"this key speaks for supplier '{who.supplier}', not '{supplier_id}'")
    request = store.get_request(request_id)
    supplier = store.get_suppliers([supplier_id]).get(supplier_id)
    if supplier is None:
        raise NotFoundError("supplier", supplier_id)
    if _closed(deadline):
        raise InputError(f"meeting requests closed at {deadline.isoformat() if deadline else ''}; "
                         "ask the fair team to arrange this meeting")
    if not pair_offered(engine, request, supplier):
        other = f"supplier '{supplier_id}'" if side == "buyer" else f"request '{request_id}'"
        raise InputError(f"{other} does not match: supplier '{supplier_id}' misses a must-have of request "
                         f"'{request_id}' or makes nothing of what it asks for")
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    row = {"meeting_request_id": "MR-" + secrets.token_hex(5), "request_id": request_id, "supplier_id": supplier_id,
           "from_side": side, "state": "requested", "message": text, "answer": None, "override": None,
           "created_at": stamp, "updated_at": stamp}
    with store.transaction():  # the duplicate check and the write together
        live = store.meeting_requests(request_ids=[request_id], supplier_id=supplier_id, states=LIVE_STATES)
        if live:
            old = live[0]
            raise ConflictError(f"a meeting between request '{request_id}' and supplier '{supplier_id}' was already "
                                f"asked for ({old['meeting_request_id']}, {old['state']}); it cannot be asked twice")
        store.insert_meeting_request(row)
        _tell_other(store, row, side, "meeting_requested", text)
    return MeetingRequest(**row)


def _tell_other(store: Store, row: dict[str, Any], acting: Side, event: str, text: str | None) -> None:
    params = {"meeting_request_id": row["meeting_request_id"], "request_id": row["request_id"],
              "supplier_id": row["supplier_id"], "message": text or ""}
    if acting == "buyer":
        notify(store, "supplier", row["supplier_id"], event, params)
    else:
        notify(store, "buyer", store.request_owner(row["request_id"]) or "", event, params)


def answer(store: Store, who: Principal, meeting_request_id: str, accept: bool, message: str | None = None,
           deadline: datetime | None = None) -> MeetingRequest:
    """The side that was asked accepts or declines."""
    side, text = side_of(who), _message(message)
    current = get_visible(store, who, meeting_request_id)
    if current.from_side == side:
        other = "the supplier" if side == "buyer" else "the buyer"
        raise ForbiddenError(f"meeting request {meeting_request_id} was sent by you: only {other} can answer it")
    state: State = "accepted" if accept else "declined"
    expire(store, deadline)  # committed on its own: the refusal below does not undo it
    with store.transaction():
        row = store.get_meeting_request(meeting_request_id)  # re-read inside the transaction
        if row["state"] != "requested":
            raise ConflictError(f"meeting request {meeting_request_id} is {row['state']}: only a request still "
                                "waiting for an answer can be accepted or declined")
        store.update_meeting_request(meeting_request_id, "answer", state=state, answer=text)
        _tell_other(store, row, side, f"meeting_{state}", text)
    return _for(store, who, store.get_meeting_request(meeting_request_id))


def withdraw(store: Store, who: Principal, meeting_request_id: str) -> MeetingRequest:
    """The side that asked takes its request back while it waits for an answer."""
    side = side_of(who)
    current = get_visible(store, who, meeting_request_id)
    if current.from_side != side:
        raise ForbiddenError(f"meeting request {meeting_request_id} was sent to you: decline it instead")
    with store.transaction():
        row = store.get_meeting_request(meeting_request_id)
        if row["state"] != "requested":
            raise ConflictError(f"meeting request {meeting_request_id} is {row['state']}: only a request still "
                                "waiting for an answer can be withdrawn")
        store.update_meeting_request(meeting_request_id, "withdraw", state="withdrawn")
        _tell_other(store, row, side, "meeting_withdrawn", None)
    return MeetingRequest(**store.get_meeting_request(meeting_request_id))


def override(store: Store, meeting_request_id: str, effect: Effect | None) -> MeetingRequest:
    """The team's decision for the planner (None: back to what the state gives)."""
    with store.transaction():
        store.get_meeting_request(meeting_request_id)
        store.update_meeting_request(meeting_request_id, "override", override=effect)
    return MeetingRequest(**store.get_meeting_request(meeting_request_id))


def expire(store: Store, deadline: datetime | None) -> list[str]:
    """Once requests have closed, every request still unanswered is expired; their ids."""
    if not _closed(deadline):
        return []
    return store.expire_meeting_requests(datetime.now(UTC).isoformat(timespec="seconds"))
