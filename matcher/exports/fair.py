"""A plan on paper and in calendars: grid and agendas as CSV and XLSX (the shared tabular writer),
printable HTML (Jinja templates), and one .ics per participant (icalendar; times in UTC, so no
VTIMEZONE is needed)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from matcher import i18n
from matcher.exports import html
from matcher.exports.tabular import Table, to_csv, to_xlsx
from matcher.fair.model import Meeting, Plan

AGENDA_COLUMNS = ["participant_type", "participant_id", "participant", "language", "start", "end", "table",
                  "counterpart_id", "counterpart", "why", "meeting_id"]


def agenda_rows(plan: Plan) -> list[dict]:
    """Each participant's meetings, each side with its own reason in its own language (a supplier never
    gets the buyer-facing reason, which is in the buyer's language; plans stored before that have none)."""
    rows = []
    for m in plan.meetings:
        common = {"start": m.start, "end": m.end, "table": m.table, "meeting_id": m.meeting_id}
        rows.append({"participant_type": "buyer", "participant_id": m.request_id, "participant": m.buyer_name,
                     "language": m.buyer_language, "counterpart_id": m.supplier_id, "counterpart": m.supplier_name,
                     "why": m.why, **common})
        rows.append({"participant_type": "supplier", "participant_id": m.supplier_id, "participant": m.supplier_name,
                     "language": m.supplier_language, "counterpart_id": m.request_id, "counterpart": m.buyer_name,
                     "why": m.supplier_why, **common})
    return sorted(rows, key=lambda r: (r["participant_type"], r["participant_id"], r["start"]))


def grid_rows(plan: Plan, tables: int) -> list[list[str]]:
    """Header row, then one row per slot with a cell per table."""
    by_slot: dict[str, dict[int, Meeting]] = {}
    for m in plan.meetings:
        by_slot.setdefault(m.start, {})[m.table] = m
    out = [["start", *[f"table {t}" for t in range(1, tables + 1)]]]
    for start in sorted(by_slot):
        cells = by_slot[start]
        out.append([start, *[f"{cells[t].supplier_name} ↔ {cells[t].buyer_name}" if t in cells else ""
                             for t in range(1, tables + 1)]])
    return out


def _tables(plan: Plan, grid: list[list[str]], agendas: list[dict]) -> list[Table]:
    stats = [[key, str(value)] for key, value in plan.stats.items()]
    stats += [[f"solver {key}", str(plan.solver[key])] for key in ("objective", "value", "shortfall", "bound",
                                                                    "bound_covers", "gap", "status", "status_text")
              if key in plan.solver]  # plans stored before the report grew lack the newer keys
    return [Table("grid", grid[0], grid[1:]), Table("agendas", AGENDA_COLUMNS, agendas),
            Table("statistics", ["statistic", "value"], stats)]


def ics(plan: Plan, participant: str, timezone: str, place: str) -> bytes:
    """One calendar (RFC 5545, written by icalendar) of a participant's meetings, times in UTC."""
    from icalendar import Calendar, Event

    tz = ZoneInfo(timezone)

    def utc(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=tz).astimezone(UTC)

    slug = re.sub(r"[^a-z0-9]+", "-", plan.fair.lower()).strip("-")
    cal = Calendar()
    for key, value in (("prodid", "-//artisan-matcher//fair planner//EN"), ("version", "2.0"),
                       ("calscale", "GREGORIAN"), ("method", "PUBLISH"), ("x-wr-calname", plan.fair)):
        cal.add(key, value)
    for m in plan.meetings:
        if participant not in (m.request_id, m.supplier_id):
            continue
        buyer = participant == m.request_id
        other, lang = (m.supplier_name, m.buyer_language) if buyer else (m.buyer_name, m.supplier_language)
        event = Event()
        event.add("uid", f"{slug}-{m.meeting_id}-{participant}@artisan-matcher")
        event.add("dtstamp", utc(m.start))
        event.add("dtstart", utc(m.start))
        event.add("dtend", utc(m.end))
        event.add("summary", i18n.msg(lang, "fair.ics.summary", other=other, table=m.table))
        event.add("location", i18n.msg(lang, "fair.ics.location", place=place, table=m.table))
        event.add("description", m.why if buyer else m.supplier_why)
        cal.add_component(event)
    return cal.to_ical()


MIME_TYPES = {"plan.json": "application/json", "grid.csv": "text/csv", "agendas.csv": "text/csv",
              "plan.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "grid.html": "text/html", "agendas.html": "text/html"}
FILES = tuple(MIME_TYPES)
ICS_MIME_TYPE = "text/calendar"


def _ics_name(participant: str) -> str:
    return f"ics/{re.sub(r'[^A-Za-z0-9_.-]', '_', participant)}.ics"


def participants(plan: Plan) -> dict[str, str]:
    """Calendar file name -> participant id, for every buyer and supplier with a meeting."""
    return {_ics_name(r["participant_id"]): r["participant_id"] for r in agenda_rows(plan)}


def _agendas_html(plan: Plan, agendas: list[dict]) -> str:
    people = []
    for pid in dict.fromkeys(r["participant_id"] for r in agendas):
        mine = [r for r in agendas if r["participant_id"] == pid]
        rows = [[f"{r['start'][11:]}–{r['end'][11:]} {r['start'][:10]}", r["table"], r["counterpart"], r["why"]]
                for r in mine]
        lang = mine[0]["language"]
        heads = [i18n.text(lang, f"fair.agenda.{key}") for key in ("time", "table", "with", "why")]
        people.append({"id": pid, "name": mine[0]["participant"], "lang": lang, "dir": i18n.direction(lang),
                       "heading": i18n.text(lang, "fair.agenda.heading"), "table": Table(pid, heads, rows)})
    return html.render("matcher.exports", "agendas.html", title=f"{plan.fair}: agendas", people=people)


def render_file(plan: Plan, name: str, tables: int, timezone: str) -> bytes:
    """One export by name (one of FILES, or ics/<participant>.ics); KeyError for any other name."""
    if name.startswith("ics/"):
        return ics(plan, participants(plan)[name], timezone, plan.fair)
    if name not in FILES:
        raise KeyError(name)
    if name == "plan.json":
        return (json.dumps(plan.model_dump(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    grid = grid_rows(plan, tables)
    if name == "grid.html":
        return html.render("matcher.exports", "grid.html", title=plan.fair,
                           grid=Table("grid", grid[0], grid[1:])).encode("utf-8")
    agendas = agenda_rows(plan)
    if name == "agendas.html":
        return _agendas_html(plan, agendas).encode("utf-8")
    by_name = {t.title: t for t in _tables(plan, grid, agendas)}
    if name == "grid.csv":
        return to_csv(by_name["grid"])
    if name == "agendas.csv":
        return to_csv(by_name["agendas"])
    return to_xlsx(*by_name.values())


def write_plan(plan: Plan, out: str | Path, tables: int, timezone: str) -> list[Path]:
    """Every export of ``plan`` into folder ``out``; returns the files written."""
    folder = Path(out)
    (folder / "ics").mkdir(parents=True, exist_ok=True)
    written = []
    for name in (*FILES, *participants(plan)):
        path = folder / name
        path.write_bytes(render_file(plan, name, tables, timezone))
        written.append(path)
    return written
