"""Meeting requests over HTTP: ask (buyer or supplier), read, answer, withdraw; the team overrides."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app
from pydantic import BaseModel, ConfigDict, Field

from matcher import meetings
from matcher.bounds import ID_MAX_LENGTH
from matcher.keys import Principal
from matcher.meetings import MESSAGE_MAX_LENGTH, Effect, MeetingRequest

from ..auth import authorize
from ..contract import operation
from ..db import get_db, get_engine
from . import PARTIES, SIDES, TEAM

bp = Blueprint("meetings", __name__, url_prefix="/api/v1")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MeetingAsk(_Body):
    request_id: str = Field(min_length=1, max_length=ID_MAX_LENGTH, description="the buyer's request")
    supplier_id: str = Field(min_length=1, max_length=ID_MAX_LENGTH, description="the supplier (a supplier "
                             "key: its own id)")
    message: str | None = Field(default=None, max_length=MESSAGE_MAX_LENGTH)


class MeetingAnswer(_Body):
    accept: bool
    message: str | None = Field(default=None, max_length=MESSAGE_MAX_LENGTH)


class MeetingOverride(_Body):
    effect: Effect | None = Field(description="what the planner makes of this pair; null: what the state gives")


class MeetingRequestList(BaseModel):
    meeting_requests: list[MeetingRequest]
    deadline: str | None = Field(description="when requests close (UTC, ISO 8601); none set: open")
    effects: dict[str, str] = Field(description="meeting_request_id -> what the fair planner makes of it: "
                                    "must_meet, would_like, do_not_meet or none")


def deadline() -> datetime | None:
    """When meeting requests close: MEETINGS_DEADLINE (MATCHER_MEETINGS_DEADLINE), ISO 8601 with a zone."""
    value = current_app.config.get("MEETINGS_DEADLINE")
    if not value:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _who() -> Principal:
    return authorize(PARTIES)


@operation(bp, "/meeting-requests", "POST", body=MeetingAsk, roles=SIDES, responses={201: MeetingRequest},
           errors=(404, 409))
def ask_meeting(body: MeetingAsk) -> tuple[MeetingRequest, int]:
    """Ask for a meeting: a buyer with a supplier of its request's matches, a supplier with a buyer
    whose request it matches.

    Refused with nothing stored: an unknown or not matching counterpart, a pair already asked, a
    request after the deadline, a supplier key asking for another workshop (403)."""
    return meetings.ask(get_engine(), _who(), body.request_id, body.supplier_id, body.message, deadline()), 201


@operation(bp, "/meeting-requests", "GET", roles=PARTIES, responses={200: MeetingRequestList})
def list_meeting_requests() -> MeetingRequestList:
    """The meeting requests the caller is a party to (the team: all, with what the planner makes of each)."""
    from matcher.fair.requested import effect

    store = get_db()
    meetings.expire(store, deadline())
    found = meetings.visible_requests(store, _who())
    limit = deadline()
    return MeetingRequestList(meeting_requests=found, deadline=limit.isoformat() if limit else None,
                              effects={m.meeting_request_id: effect(m.model_dump()) for m in found})


@operation(bp, "/meeting-requests/<meeting_request_id>", "GET", roles=PARTIES, responses={200: MeetingRequest},
           errors=(404,))
def get_meeting_request(meeting_request_id: str) -> MeetingRequest:
    """One meeting request (404 when the caller is not a party to it)."""
    return meetings.get_visible(get_db(), _who(), meeting_request_id)


@operation(bp, "/meeting-requests/<meeting_request_id>/answer", "POST", body=MeetingAnswer, roles=SIDES,
           responses={200: MeetingRequest}, errors=(404, 409))
def answer_meeting(meeting_request_id: str, body: MeetingAnswer) -> MeetingRequest:
    """Accept or decline a meeting request sent to you, with an optional message.

    403 for a request you sent; 409 when it is no longer waiting for an answer."""
    return meetings.answer(get_db(), _who(), meeting_request_id, body.accept, body.message, deadline())


@operation(bp, "/meeting-requests/<meeting_request_id>/withdraw", "POST", roles=SIDES,
           responses={200: MeetingRequest}, errors=(404, 409))
def withdraw_meeting(meeting_request_id: str) -> MeetingRequest:
    """Withdraw a meeting request you sent, while it waits for an answer."""
    return meetings.withdraw(get_db(), _who(), meeting_request_id)


@operation(bp, "/meeting-requests/<meeting_request_id>/override", "PUT", body=MeetingOverride, roles=TEAM,
           responses={200: MeetingRequest}, errors=(404,))
def override_meeting(meeting_request_id: str, body: MeetingOverride) -> MeetingRequest:
    """Decide what the fair planner makes of a meeting request, whatever its state (null: undo)."""
    return meetings.override(get_db(), meeting_request_id, body.effect)
