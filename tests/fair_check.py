"""An independent check of a fair plan's constraints, written without the planner's code."""

from __future__ import annotations

from collections import Counter

from matcher.fair.definition import FairDefinition, available, slots


def violations(fair: FairDefinition, meetings: list[dict]) -> list[str]:
    """Every broken rule in ``meetings`` (dicts with request_id, supplier_id, slot, table)."""
    out = []
    all_slots = slots(fair)
    buyers = {b.request_id: b for b in fair.buyers}
    suppliers = {s.supplier_id: s for s in fair.suppliers}
    for key in ("request_id", "supplier_id"):
        for (who, slot), n in Counter((m[key], m["slot"]) for m in meetings).items():
            if n > 1:
                out.append(f"{who} has {n} meetings in slot {slot}")
    for slot, n in Counter(m["slot"] for m in meetings).items():
        if n > fair.tables:
            out.append(f"slot {slot}: {n} meetings for {fair.tables} tables")
    for (slot, table), n in Counter((m["slot"], m["table"]) for m in meetings).items():
        if n > 1 or not 1 <= table <= fair.tables:
            out.append(f"slot {slot}: table {table} used {n} times")
    for (rid, sid), n in Counter((m["request_id"], m["supplier_id"]) for m in meetings).items():
        if n > 1:
            out.append(f"{rid} meets {sid} {n} times")
    per_b = Counter(m["request_id"] for m in meetings)
    per_s = Counter(m["supplier_id"] for m in meetings)
    for rid, b in buyers.items():
        limit = b.max_meetings if b.max_meetings is not None else fair.limits.max_meetings_per_buyer
        if per_b[rid] > limit:
            out.append(f"{rid}: {per_b[rid]} meetings, limit {limit}")
    for sid, s in suppliers.items():
        limit = s.max_meetings if s.max_meetings is not None else fair.limits.max_meetings_per_supplier
        if per_s[sid] > limit:
            out.append(f"{sid}: {per_s[sid]} meetings, limit {limit}")
    pairs = {(m["request_id"], m["supplier_id"]) for m in meetings}
    for m in meetings:
        b, s = buyers[m["request_id"]], suppliers[m["supplier_id"]]
        if not available(b, all_slots)[m["slot"]] or not available(s, all_slots)[m["slot"]]:
            out.append(f"{m['request_id']}-{m['supplier_id']} in slot {m['slot']} when one is unavailable")
        if m["supplier_id"] in b.do_not_meet or m["request_id"] in s.do_not_meet:
            out.append(f"{m['request_id']}-{m['supplier_id']} asked not to meet")
    for b in fair.buyers:
        out += [f"must-meet {b.request_id}-{sid} missing" for sid in b.must_meet if (b.request_id, sid) not in pairs]
    for s in fair.suppliers:
        out += [f"must-meet {rid}-{s.supplier_id} missing" for rid in s.must_meet if (rid, s.supplier_id) not in pairs]
    return out
