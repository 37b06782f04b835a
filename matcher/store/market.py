"""Requests with the time they were stored, for the market report's periods."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matcher.errors import NotFoundError
from matcher.schema import BuyerRequest

if TYPE_CHECKING:
    from matcher.store.db import Database


class MarketRepository:
    db: Database

    def requests_dated(self, start: str | None = None, end: str | None = None) -> list[tuple[BuyerRequest, str]]:
        """(request, created_at) stored in [start, end) (ISO 8601 UTC; None leaves that side open), oldest first."""
        rows = self.db.all("SELECT data, created_at FROM requests WHERE (? IS NULL OR created_at >= ?) "
                           "AND (? IS NULL OR created_at < ?) ORDER BY created_at, request_id",
                           (start, start, end, end))
        return [(BuyerRequest.model_validate_json(d), str(c)) for d, c in rows]

    def set_request_dates(self, dates: dict[str, str]) -> None:
        """Record when requests were received (history entered after the fact), all or none."""
        with self.db.transaction():
            for request_id, stamp in dates.items():
                cur = self.db.execute("UPDATE requests SET created_at = ? WHERE request_id = ?", (stamp, request_id))
                if cur.rowcount == 0:
                    raise NotFoundError("request", request_id)
