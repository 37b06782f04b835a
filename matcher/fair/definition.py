"""B2B fair definitions (YAML or JSON): days and slots, tables, who attends, limits and wishes.

One pydantic schema validates the file; every problem names the file and the
field path. Slots are generated from each day's start, slot length and breaks.
"""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, WithJsonSchema

from matcher.errors import FieldProblem, FileFormatError, RecordError


def _time_range(text: str) -> tuple[time, time]:
    try:
        a, b = text.split("-")
        lo, hi = time.fromisoformat(a.strip()), time.fromisoformat(b.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a time range like 12:00-13:30") from None
    if lo >= hi:
        raise ValueError(f"'{text}' ends before it starts")
    return lo, hi


def _unavailable_range(text: str) -> tuple[datetime, datetime]:
    day_text, _, times = text.strip().partition(" ")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise ValueError(f"'{text}' must be 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM-HH:MM'") from None
    if not times.strip():
        return datetime.combine(day, time.min), datetime.combine(day, time.max)
    lo, hi = _time_range(times)
    return datetime.combine(day, lo), datetime.combine(day, hi)


def _each(parse: Callable[[str], object]) -> AfterValidator:
    """Validate every string of a list with ``parse``; keep the strings as written."""

    def check(items: list[str]) -> list[str]:
        for item in items:
            parse(item)
        return items

    return AfterValidator(check)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _zone(name: str) -> str:
    if name not in _zones():
        raise ValueError(f"'{name}' is not an IANA time zone such as Africa/Algiers")
    return name


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class _ZoneNames:
    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "string", "enum": sorted(_zones())}


# Validity limits: a time zone the exports can use; a start time as the JSON form documents it.
TimeZone = Annotated[str, AfterValidator(_zone), _ZoneNames()]
StartTime = Annotated[time, WithJsonSchema({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"})]


class Day(_Strict):
    date: date
    start: StartTime
    slot_minutes: int = Field(ge=5, le=240)
    slots: int = Field(ge=1, le=64)
    breaks: Annotated[list[str], _each(_time_range)] = Field(
        default_factory=list, description="'HH:MM-HH:MM' ranges with no meetings")


class Wishes(_Strict):
    must_meet: list[str] = []
    would_like: list[str] = []
    do_not_meet: list[str] = []


class Attendee(Wishes):
    unavailable: Annotated[list[str], _each(_unavailable_range)] = Field(
        default_factory=list, description="'YYYY-MM-DD' (whole day) or 'YYYY-MM-DD HH:MM-HH:MM'")
    max_meetings: int | None = Field(default=None, ge=0)
    min_meetings: int | None = Field(default=None, ge=0, description="meetings sought (soft target); "
                                     "default from limits")


class BuyerAttendee(Attendee):
    request_id: str = Field(min_length=1)


class SupplierAttendee(Attendee):
    supplier_id: str = Field(min_length=1)


class Limits(_Strict):
    max_meetings_per_buyer: int = Field(default=8, ge=1)
    max_meetings_per_supplier: int = Field(default=10, ge=1)
    min_meetings_per_supplier: int = Field(default=2, ge=0)
    min_meetings_per_buyer: int = Field(default=1, ge=0)


class FairDefinition(_Strict):
    name: str = Field(min_length=1)
    timezone: TimeZone = "Africa/Algiers"
    days: list[Day] = Field(min_length=1)
    tables: int = Field(ge=1, le=10_000)
    limits: Limits = Limits()
    buyers: list[BuyerAttendee] = Field(min_length=1)
    suppliers: list[SupplierAttendee] = Field(min_length=1)
    candidates_per_buyer: int = Field(default=40, ge=1, description="best suppliers considered per buyer")


class Slot(BaseModel):
    index: int
    day: int
    start: datetime
    end: datetime


def slots(fair: FairDefinition) -> list[Slot]:
    """Every meeting slot, in time order; a slot that would overlap a break starts after it."""
    out: list[Slot] = []
    for d, day in enumerate(fair.days):
        breaks = sorted((datetime.combine(day.date, a), datetime.combine(day.date, b))
                        for a, b in map(_time_range, day.breaks))
        t = datetime.combine(day.date, day.start)
        length = timedelta(minutes=day.slot_minutes)
        for _ in range(day.slots):
            for lo, hi in breaks:
                if t < hi and t + length > lo:
                    t = hi
            out.append(Slot(index=len(out), day=d, start=t, end=t + length))
            t += length
    return out


def available(attendee: Attendee, all_slots: list[Slot]) -> list[bool]:
    blocked = [_unavailable_range(u) for u in attendee.unavailable]
    return [not any(s.start < hi and s.end > lo for lo, hi in blocked) for s in all_slots]


def load_fair(path: str | Path) -> FairDefinition:
    """Read and validate a fair file (.yaml, .yml or .json); RecordError lists every problem."""
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(str(path), "file not found")
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise FileFormatError(path.name, "a fair definition must be .yaml, .yml or .json")
    import yaml

    text = path.read_text("utf-8")
    try:
        data: Any = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise FileFormatError(path.name, f"cannot parse: {exc}") from None
    return parse_fair(data, path.name)


def parse_fair(data: Any, file: str = "fair definition") -> FairDefinition:
    try:
        fair = FairDefinition.model_validate(data)
    except ValidationError as exc:
        raise RecordError([FieldProblem(".".join(str(p) for p in e["loc"]), str(e["msg"]).removeprefix(
            "Value error, "), None, file) for e in exc.errors()]) from None
    problems = []
    for kind, people, key in (("buyers", fair.buyers, "request_id"), ("suppliers", fair.suppliers, "supplier_id")):
        seen: set[str] = set()
        for i, person in enumerate(people):
            ident = getattr(person, key)
            if ident in seen:
                problems.append(FieldProblem(f"{kind}.{i}.{key}", f"'{ident}' is listed twice", None, file))
            seen.add(ident)
    if problems:
        raise RecordError(problems)
    return fair


def wish_problems(fair: FairDefinition, file: str = "fair definition") -> list[FieldProblem]:
    """Wishes naming someone who does not attend (on the other side): one problem per name."""
    buyer_ids = {b.request_id for b in fair.buyers}
    supplier_ids = {s.supplier_id for s in fair.suppliers}
    problems = []
    for kind, people, known in (("buyers", fair.buyers, supplier_ids), ("suppliers", fair.suppliers, buyer_ids)):
        for i, person in enumerate(people):
            for wish in ("must_meet", "would_like", "do_not_meet"):
                problems += [FieldProblem(f"{kind}.{i}.{wish}", f"'{other}' does not attend this fair", None, file)
                             for other in getattr(person, wish) if other not in known]
    return problems
