"""A plan on paper and in calendars: grid and agendas as CSV, XLSX and printable HTML, one .ics each.

Every text cell that a spreadsheet could run as a formula is neutralised; every
HTML text is escaped; calendar times are written in UTC so no VTIMEZONE is needed.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from matcher.exports.shortlist import safe_cell
from matcher.fair.model import Meeting, Plan

AGENDA_COLUMNS = ["participant_type", "participant_id", "participant", "start", "end", "table", "counterpart_id",
                  "counterpart", "why", "meeting_id"]


def agenda_rows(plan: Plan) -> list[dict]:
    rows = []
    for m in plan.meetings:
        common = {"start": m.start, "end": m.end, "table": m.table, "why": m.why, "meeting_id": m.meeting_id}
        rows.append({"participant_type": "buyer", "participant_id": m.request_id, "participant": m.buyer_name,
                     "counterpart_id": m.supplier_id, "counterpart": m.supplier_name, **common})
        rows.append({"participant_type": "supplier", "participant_id": m.supplier_id, "participant": m.supplier_name,
                     "counterpart_id": m.request_id, "counterpart": m.buyer_name, **common})
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


def _csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows([[safe_cell(c) for c in row] for row in rows])
    return buf.getvalue().encode("utf-8-sig")  # BOM: spreadsheet programs then read UTF-8


def _xlsx(plan: Plan, grid: list[list[str]], agendas: list[dict]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "grid"
    for row in grid:
        ws.append([safe_cell(c) for c in row])
    ws = wb.create_sheet("agendas")
    ws.append(AGENDA_COLUMNS)
    for r in agendas:
        ws.append([safe_cell(r[c]) for c in AGENDA_COLUMNS])
    ws = wb.create_sheet("statistics")
    for key, value in plan.stats.items():
        ws.append([key, str(value)])
    for key in ("objective", "bound", "gap", "status"):
        ws.append([f"solver {key}", str(plan.solver[key])])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _html(title: str, body: str) -> str:
    return (f"<!doctype html><html><meta charset=utf-8><title>{html.escape(title)}</title><style>"
            "body{font:13px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:1em}"
            "td,th{border:1px solid #999;padding:3px 6px;vertical-align:top}section{page-break-after:always}"
            f"@media print{{a{{color:inherit}}}}</style><h1>{html.escape(title)}</h1>{body}</html>\n")


def _table(rows: list[list]) -> str:
    head, *rest = rows
    cells = "".join(f"<th>{html.escape(str(c))}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rest)
    return f"<table><tr>{cells}</tr>{body}</table>"


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines of at most 75 octets, continued with CRLF and a space; never split a character."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def ics(plan: Plan, participant: str, timezone: str, place: str) -> str:
    """One calendar of a participant's meetings (participant = request or supplier id)."""
    tz = ZoneInfo(timezone)

    def utc(text: str) -> str:
        return datetime.fromisoformat(text).replace(tzinfo=tz).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    slug = re.sub(r"[^a-z0-9]+", "-", plan.fair.lower()).strip("-")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//artisan-matcher//fair planner//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_ics_text(plan.fair)}"]
    for m in plan.meetings:
        if participant not in (m.request_id, m.supplier_id):
            continue
        other = m.supplier_name if participant == m.request_id else m.buyer_name
        lines += ["BEGIN:VEVENT", f"UID:{slug}-{m.meeting_id}-{participant}@artisan-matcher",
                  f"DTSTAMP:{utc(m.start)}", f"DTSTART:{utc(m.start)}", f"DTEND:{utc(m.end)}",
                  f"SUMMARY:{_ics_text(f'Meeting with {other} (table {m.table})')}",
                  f"LOCATION:{_ics_text(f'{place}, table {m.table}')}",
                  f"DESCRIPTION:{_ics_text(m.why)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


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
    sections = []
    for pid in dict.fromkeys(r["participant_id"] for r in agendas):
        mine = [r for r in agendas if r["participant_id"] == pid]
        rows = [["time", "table", "with", "why meet"]] + [[f"{r['start'][11:]}–{r['end'][11:]} {r['start'][:10]}",
                                                            r["table"], r["counterpart"], r["why"]] for r in mine]
        sections.append(f"<section><h2>{html.escape(mine[0]['participant'])} ({html.escape(pid)})</h2>"
                        f"{_table(rows)}</section>")
    return _html(f"{plan.fair}: agendas", "".join(sections))


def render_file(plan: Plan, name: str, tables: int, timezone: str) -> bytes:
    """One export by name (one of FILES, or ics/<participant>.ics); KeyError for any other name."""
    if name.startswith("ics/"):
        return ics(plan, participants(plan)[name], timezone, plan.fair).encode("utf-8")
    if name not in FILES:
        raise KeyError(name)
    if name == "plan.json":
        return (json.dumps(plan.model_dump(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    grid = grid_rows(plan, tables)
    if name == "grid.html":
        return _html(plan.fair, _table(grid)).encode("utf-8")
    if name == "grid.csv":
        return _csv(grid[0], grid[1:])
    agendas = agenda_rows(plan)
    if name == "agendas.html":
        return _agendas_html(plan, agendas).encode("utf-8")
    if name == "agendas.csv":
        return _csv(AGENDA_COLUMNS, [[r[c] for c in AGENDA_COLUMNS] for r in agendas])
    return _xlsx(plan, grid, agendas)


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
