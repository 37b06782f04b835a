"""Meeting requests as the planner's wishes: the definition the planner is fed, its own code unchanged.

For every meeting request between a buyer and a supplier who both attend the fair:
accepted -> the buyer's ``must_meet``; requested (not answered) -> the asking side's ``would_like``;
declined -> the declining side's ``do_not_meet``; withdrawn or expired -> nothing. The team's override
(matcher.meetings.override) replaces what the state gives (a ``do_not_meet`` override goes on the
buyer's side). What the definition already says about a pair wins over a request that contradicts it,
and the plan's notes say so.
"""

from __future__ import annotations

from typing import Any

from matcher.fair.definition import FairDefinition
from matcher.store import Store

BY_STATE = {"accepted": "must_meet", "requested": "would_like", "declined": "do_not_meet"}
CONTRADICTS = {"must_meet": ("do_not_meet",), "would_like": ("do_not_meet",),
               "do_not_meet": ("must_meet", "would_like")}


def effect(row: dict[str, Any]) -> str:
    """What one meeting request asks of the planner: must_meet, would_like, do_not_meet or none."""
    return str(row["override"] or BY_STATE.get(str(row["state"]), "none"))


def with_meeting_requests(store: Store, fair: FairDefinition) -> tuple[FairDefinition, list[str]]:
    """``fair`` with the stored meeting requests between its attendees added as wishes; and notes."""
    out = fair.model_copy(deep=True)
    buyers = {b.request_id: b for b in out.buyers}
    suppliers = {s.supplier_id: s for s in out.suppliers}
    notes: list[str] = []
    added = {"must_meet": 0, "would_like": 0, "do_not_meet": 0}
    for row in store.meeting_requests(request_ids=sorted(buyers)):
        rid, sid, wish = row["request_id"], row["supplier_id"], effect(row)
        if sid not in suppliers or wish == "none":
            continue
        b, s = buyers[rid], suppliers[sid]

        def has(lists: tuple[str, ...], b: Any = b, s: Any = s, rid: str = rid, sid: str = sid) -> bool:
            return any(sid in getattr(b, x) or rid in getattr(s, x) for x in lists)

        if has(CONTRADICTS[wish]):
            notes.append(f"meeting request {row['meeting_request_id']} ({rid} with {sid}, {wish}) left out: "
                         "the fair definition says otherwise for this pair")
            continue
        if has((wish,)):
            continue
        asker_is_buyer = row["from_side"] == "buyer"
        if wish == "must_meet" or (wish == "would_like" and asker_is_buyer) or (
                wish == "do_not_meet" and (row["override"] or not asker_is_buyer)):
            getattr(b, wish).append(sid)
        else:
            getattr(s, wish).append(rid)
        added[wish] += 1
    if any(added.values()):
        notes.append("from meeting requests: " + ", ".join(f"{n} {w}" for w, n in added.items()))
    return out, notes
