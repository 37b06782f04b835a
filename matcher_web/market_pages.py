"""The team's market report page, and the buyer page's consortium section (data for _consortia.html)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from matcher.consortium import ConsortiumResult, consortia
from matcher.errors import MatcherError
from matcher.market.report import analyse, body_html
from matcher.schema import BuyerRequest

from .db import get_engine
from .errors import from_matcher_error
from .pagekit import page, render

bp = Blueprint("market_pages", __name__)
PAGE_TIME_LIMIT = 5.0  # seconds per solve while a buyer waits for the page


def buyer_consortia(req: BuyerRequest) -> ConsortiumResult | None:
    """The groups to show under a buyer's results: only when no single workshop can fill the request."""
    try:
        result = consortia(get_engine(), req, time_limit=PAGE_TIME_LIMIT)
    except MatcherError:  # an order too large to model: the ranked results stand alone
        return None
    return None if result.status == "single" else result


@bp.get("/team/market")
@page("team")
def market_page() -> Any:
    args = {k: request.args.get(k, "").strip() for k in ("cluster", "since", "until")}
    report, error = None, None
    try:
        analysis = analyse(get_engine(), args["cluster"] or None, args["since"] or None, args["until"] or None)
        report = body_html(analysis)
    except MatcherError as exc:
        error = from_matcher_error(exc).message
    args_set = {k: v for k, v in args.items() if v}
    return render("market.html", report=report, error=error, args=args, args_set=args_set), 422 if error else 200
