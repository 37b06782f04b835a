"""Buyer requests and their matches."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from matcher import i18n
from matcher.errors import NotFoundError, RecordError
from matcher.explain import MatchResult
from matcher.io.importer import ensure_request_id
from matcher.keys import Principal
from matcher.notify import tell_matched
from matcher.profiles import Profile, load_profile
from matcher.schema import BuyerRequest, validate_record

from ..auth import authorize
from ..contract import operation
from ..db import get_db, get_engine
from ..models import MatchQuery, RequestCreated, RequestList
from . import BUYERS, READERS

bp = Blueprint("requests", __name__, url_prefix="/api/v1")


def parse_request(data: Any) -> BuyerRequest:
    return validate_record("request", data, file="request body")  # type: ignore[return-value]


def _who() -> Principal:
    return authorize(READERS)  # the operation's guard has run: this reads the cached caller


def visible_request(who: Principal, request_id: str) -> BuyerRequest:
    """The request, or 404 as if it did not exist when another buyer owns it."""
    found = get_db().get_request(request_id)
    if not who.can_see_request(found.buyer_name):
        raise NotFoundError("request", request_id)
    return found


def quantity_missing(exc: RecordError, request: BuyerRequest) -> str | None:
    """The text (in the request's language) when ``exc`` says the request gives no quantity, else None."""
    for problem in exc.problems:
        if problem.msgid == "invalid.quantity_missing":
            return problem.text(i18n.locale_for(request.language))
    return None


def match_or_explain(request: BuyerRequest, top_k: int | None = None, include_ineligible: bool = False,
                     profile: Profile | None = None) -> MatchResult:
    """The matches; for a request that states no quantity (in its field or its text), a result without
    matches whose message says so: the request is valid, it just cannot be ranked yet."""
    engine = get_engine()
    try:
        return engine.match(request, top_k=top_k, include_ineligible=include_ineligible, profile=profile)
    except RecordError as exc:
        text = quantity_missing(exc, request)
        if text is None:
            raise
    p = profile or engine.profile
    return MatchResult(request_id=request.request_id, profile=f"{p.name}@{p.version}", model=engine.embedder.name,
                       n_suppliers=len(engine.index()), n_eligible=0, matches=[], message=text)


def _match(request: BuyerRequest, query: MatchQuery) -> MatchResult:
    profile = load_profile(query.profile) if query.profile else None
    return match_or_explain(request, query.top_k, query.include_ineligible, profile)


@operation(bp, "/requests", "POST", body=BuyerRequest, parse=parse_request, query=MatchQuery, roles=BUYERS,
           responses={201: RequestCreated}, errors=(404,))
def create_request(body: BuyerRequest, query: MatchQuery) -> tuple[RequestCreated, int]:
    """Store a sourcing request and match it.

    A buyer key's requests always carry the key's buyer name, whatever the body says; another buyer's
    request_id answers 404, as for reading it."""
    who = _who()
    if who.role == "buyer":
        body = body.model_copy(update={"buyer_name": who.buyer})
    request = ensure_request_id(body)
    rid = str(request.request_id)
    store = get_db()
    with store.transaction():  # the ownership check and the write together
        owner = store.request_owner(rid)
        if owner is not None and not who.can_see_request(owner):
            raise NotFoundError("request", rid)
        store.upsert_requests([request])
    result = _match(request, query)
    if owner is None:  # a new request: the workshops it matches are told (in-app and by e-mail)
        tell_matched(store, rid, [m.supplier_id for m in result.matches if m.eligible and not m.filler])
    return RequestCreated(request=request, result=result), 201


@operation(bp, "/requests", "GET", roles=READERS, responses={200: RequestList})
def list_requests() -> RequestList:
    """Stored requests (a buyer sees its own)."""
    who = _who()
    return RequestList(requests=[r for r in get_db().requests() if who.can_see_request(r.buyer_name)])


@operation(bp, "/requests/<request_id>", "GET", roles=READERS, responses={200: BuyerRequest}, errors=(404,))
def get_request(request_id: str) -> BuyerRequest:
    """One stored request."""
    return visible_request(_who(), request_id)


@operation(bp, "/requests/<request_id>/matches", "GET", query=MatchQuery, roles=READERS,
           responses={200: MatchResult}, errors=(404,))
def request_matches(request_id: str, query: MatchQuery) -> MatchResult:
    """Matches of a stored request, against the current suppliers and profile."""
    return _match(visible_request(_who(), request_id), query)


@operation(bp, "/match", "POST", body=BuyerRequest, parse=parse_request, query=MatchQuery, roles=BUYERS,
           responses={200: MatchResult})
def stateless_match(body: BuyerRequest, query: MatchQuery) -> MatchResult:
    """Match a request without storing anything."""
    return _match(ensure_request_id(body), query)

