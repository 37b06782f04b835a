"""The team's fair editor: a form that writes the fair definition the CLI reads.

The form's fields map one to one onto ``matcher.fair.definition.FairDefinition`` (days, tables,
limits, attendees picked from the stored requests and suppliers, their availability and limits,
and wishes as rows "who · wish · whom"). :func:`definition_from_form` turns a submitted form into
the definition's data, which ``parse_fair`` validates with the errors the CLI gives;
:func:`form_from_definition` is its inverse (editing a copy of a stored plan's definition). The
page downloads the definition as YAML for ``matcher fair plan`` or plans it as a background job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from matcher.errors import FieldProblem, RecordError
from matcher.fair.definition import FairDefinition, Limits, parse_fair, wish_problems

FILE = "fair editor"
DAY_FIELDS = ("date", "start", "slot_minutes", "slots", "breaks")
LIMIT_FIELDS = tuple(Limits.model_fields)
PERSON_FIELDS = ("unavailable", "max_meetings", "min_meetings")
WISH_KINDS = ("must_meet", "would_like", "do_not_meet")
SIDES = {"buyer": ("buyers", "request_id"), "supplier": ("suppliers", "supplier_id")}
EXTRA_ROWS = 3  # blank day and wish rows offered under the filled ones


def split(text: str) -> list[str]:
    """'a, b; c' or one per line -> ['a', 'b', 'c']."""
    return [part.strip() for part in re.split(r"[,;\n]", text or "") if part.strip()]


def _count(form: Mapping[str, Any], key: str) -> int:
    raw = str(form.get(key, ""))
    return min(int(raw), 500) if raw.isdigit() else 0


def values_from_form(form: Any) -> dict[str, Any]:
    """A submitted form (a werkzeug MultiDict) as the page's values: blank day and wish rows dropped and
    the others numbered from 0, so a problem's path (days.1...) names the row the page shows."""
    values: dict[str, Any] = {k: str(v).strip() for k, v in form.items() if not k.startswith(("day-", "wish-"))}
    for side in SIDES:
        values[side] = form.getlist(side)
    for prefix, fields, count in (("day", DAY_FIELDS, "n_days"), ("wish", ("who", "kind", "whom"), "n_wishes")):
        kept = 0
        for i in range(_count(form, count)):
            row = {f: str(form.get(f"{prefix}-{i}-{f}", "")).strip() for f in fields}
            if any(v for f, v in row.items() if f != "kind"):
                values.update({f"{prefix}-{kept}-{f}": v for f, v in row.items()})
                kept += 1
        values[count] = str(kept)
    return values


def definition_from_form(form: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The definition's data as written in the page's values (:func:`values_from_form`), and the problems
    only the form can have (a wish row whose person does not attend). Blank optional fields are left
    out (the definition's defaults apply)."""
    data: dict[str, Any] = {"name": form.get("name", "")}
    for key in ("timezone", "tables", "candidates_per_buyer"):
        if form.get(key, "").strip():
            data[key] = form[key].strip()
    data["days"] = []
    for i in range(_count(form, "n_days")):
        row = {f: form.get(f"day-{i}-{f}", "").strip() for f in DAY_FIELDS}
        if any(row.values()):
            day: dict[str, Any] = {k: v for k, v in row.items() if k != "breaks"}
            day["breaks"] = split(row["breaks"])
            data["days"].append(day)
    limits = {f: form[f"limits-{f}"].strip() for f in LIMIT_FIELDS if form.get(f"limits-{f}", "").strip()}
    if limits:
        data["limits"] = limits
    people: dict[str, dict[str, Any]] = {}
    for side, (plural, key) in SIDES.items():
        data[plural] = []
        for ident in form.get(side, []):
            person: dict[str, Any] = {key: ident}
            unavailable = split(form.get(f"{side}-{ident}-unavailable", ""))
            if unavailable:
                person["unavailable"] = unavailable
            for f in ("max_meetings", "min_meetings"):
                if form.get(f"{side}-{ident}-{f}", "").strip():
                    person[f] = form[f"{side}-{ident}-{f}"].strip()
            data[plural].append(person)
            people[f"{side}:{ident}"] = person
    problems = []
    for n in range(_count(form, "n_wishes")):
        who, kind, whom = (form.get(f"wish-{n}-{f}", "") for f in ("who", "kind", "whom"))
        if not (who and whom):
            continue
        if who not in people or kind not in WISH_KINDS:
            problems.append(FieldProblem(f"wishes.{n}", f"'{who.partition(':')[2] or who}' does not attend this fair",
                                         None, FILE))
            continue
        people[who].setdefault(kind, []).append(whom)
    return data, problems


def check(form: Mapping[str, Any]) -> tuple[dict[str, Any], FairDefinition | None, list[FieldProblem]]:
    """(data, definition when valid, every problem): parse_fair's problems, the wishes', the form's."""
    data, problems = definition_from_form(form)
    fair = None
    try:
        fair = parse_fair(data, FILE)
        problems += wish_problems(fair, FILE)
    except RecordError as exc:
        problems += exc.problems
    return data, (fair if not problems else None), problems


def form_from_definition(fair: FairDefinition) -> dict[str, Any]:
    """The form's values for ``fair`` (strings, and lists for the attendee checkboxes)."""
    values: dict[str, Any] = {"name": fair.name, "timezone": fair.timezone, "tables": str(fair.tables),
                              "candidates_per_buyer": str(fair.candidates_per_buyer), "n_days": str(len(fair.days))}
    for i, day in enumerate(fair.days):
        values.update({f"day-{i}-date": day.date.isoformat(), f"day-{i}-start": day.start.strftime("%H:%M"),
                       f"day-{i}-slot_minutes": str(day.slot_minutes), f"day-{i}-slots": str(day.slots),
                       f"day-{i}-breaks": ", ".join(day.breaks)})
    values.update({f"limits-{f}": str(getattr(fair.limits, f)) for f in LIMIT_FIELDS})
    n = 0
    for side, (plural, key) in SIDES.items():
        values[side] = []
        for person in getattr(fair, plural):
            ident = getattr(person, key)
            values[side].append(ident)
            values[f"{side}-{ident}-unavailable"] = ", ".join(person.unavailable)
            for f in ("max_meetings", "min_meetings"):
                values[f"{side}-{ident}-{f}"] = "" if getattr(person, f) is None else str(getattr(person, f))
            for kind in WISH_KINDS:
                for whom in getattr(person, kind):
                    values.update({f"wish-{n}-who": f"{side}:{ident}", f"wish-{n}-kind": kind, f"wish-{n}-whom": whom})
                    n += 1
    values["n_wishes"] = str(n)
    return values


def input_of(path: str, data: dict[str, Any]) -> str:
    """The form control a problem's field path points at (its id), for the error links."""
    parts = path.split(".")
    if parts[0] == "days" and len(parts) > 2:
        return f"day-{parts[1]}-{parts[2]}"
    if parts[0] == "limits" and len(parts) > 1:
        return f"limits-{parts[1]}"
    if parts[0] == "wishes":
        return f"wish-{parts[1]}-who"
    for side, (plural, key) in SIDES.items():
        if parts[0] == plural and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) < len(data.get(plural, [])):
            ident = data[plural][int(parts[1])][key]
            field = parts[2]
            if field in WISH_KINDS:
                return "wishes"
            return f"{side}-{ident}-{field}" if field in PERSON_FIELDS else f"{side}-{ident}"
        if parts[0] == plural:
            return plural
    return parts[0] if parts[0] in ("name", "timezone", "tables", "candidates_per_buyer") else "days"
