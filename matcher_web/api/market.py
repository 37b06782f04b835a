"""Consortium offers for a stored request, and the cluster market report (team)."""

from __future__ import annotations

import io
from typing import Annotated, Literal

from flask import Blueprint, Response, send_file
from pydantic import BaseModel, ConfigDict, Field

from matcher.bounds import (
    CONSORTIUM_DEFAULT_MEMBERS,
    CONSORTIUM_DEFAULT_TIME_LIMIT,
    CONSORTIUM_MEMBERS,
    CONSORTIUM_TIME_LIMIT,
)
from matcher.consortium import ConsortiumResult, consortia
from matcher.errors import RecordError
from matcher.market import MIME_TYPES, MarketReport, analyse
from matcher.market.report import FORMATS

from ..contract import FileResponse, operation
from ..db import get_engine
from ..params import QueryBool, _bounds, _int_between, _number_between
from . import READERS, TEAM
from .requests import _who, quantity_missing, visible_request

bp = Blueprint("market", __name__, url_prefix="/api/v1")

MembersParam = Annotated[int, _int_between(*CONSORTIUM_MEMBERS), _bounds("integer", *CONSORTIUM_MEMBERS)]
SolveTimeParam = Annotated[float, _number_between(*CONSORTIUM_TIME_LIMIT), _bounds("number", *CONSORTIUM_TIME_LIMIT)]
DAY = r"^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"  # 1900 to 2099: periods stay in the calendar


class ConsortiumQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    max_members: MembersParam = Field(default=CONSORTIUM_DEFAULT_MEMBERS, description="most workshops in a group (K)")
    require_lead: QueryBool = Field(default=False, description="every group needs a member that has exported")
    time_limit: SolveTimeParam = Field(default=CONSORTIUM_DEFAULT_TIME_LIMIT, description="seconds per solve")


class MarketQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    cluster: str | None = Field(default=None, min_length=1, description="one cluster (default: every named cluster)")
    since: str | None = Field(default=None, pattern=DAY, json_schema_extra={"format": "date"},
                              description="first day (YYYY-MM-DD); the previous period of equal length is compared")
    until: str | None = Field(default=None, pattern=DAY, json_schema_extra={"format": "date"},
                              description="last day, included (default: now); on or after since")
    format: Literal["json", "html", "xlsx"] = "json"


@operation(bp, "/requests/<request_id>/consortia", "POST", query=ConsortiumQuery, roles=READERS,
           responses={200: ConsortiumResult}, errors=(404,))
def request_consortia(request_id: str, query: ConsortiumQuery) -> ConsortiumResult:
    """Groups of 2 to K workshops that together can deliver a stored request no single workshop can.

    Status single: one workshop suffices (no group is built); none: the reasons say what is missing."""
    request = visible_request(_who(), request_id)
    try:
        return consortia(get_engine(), request, max_members=query.max_members, require_lead=query.require_lead,
                         time_limit=query.time_limit)
    except RecordError as exc:
        text = quantity_missing(exc, request)
        if text is None:
            raise
        return ConsortiumResult(request_id=request.request_id, quantity=0, window_days=0,
                                max_members=query.max_members, status="none", message=text, candidates=0)


@operation(bp, "/reports/market", "GET", query=MarketQuery, roles=TEAM, errors=(404,),
           responses={200: FileResponse(tuple(MIME_TYPES[f] for f in ("html", "xlsx")),
                                        "The market report as JSON, HTML or XLSX", json=MarketReport)})
def market_report(query: MarketQuery) -> MarketReport | Response:
    """The cluster market report: unmet demand, certifications, capacity, languages, period against period
    (404 for a cluster no supplier belongs to, naming the known ones)."""
    analysis = analyse(get_engine(), query.cluster, query.since, query.until)
    if query.format == "json":
        return analysis.report
    return send_file(io.BytesIO(FORMATS[query.format](analysis)), mimetype=MIME_TYPES[query.format],
                     as_attachment=True, download_name=f"market-report.{query.format}")
