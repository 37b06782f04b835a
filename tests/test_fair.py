"""Planning the sample fair end to end with the engine (fake embedder), exports and outcomes."""

import csv
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from matcher.errors import InputError, NotFoundError, RecordError
from matcher.exports.fair import write_plan
from matcher.fair.definition import load_fair, parse_fair
from matcher.fair.outcomes import import_outcomes, outcome_qrels, record_outcome, save_plan
from matcher.fair.plan import plan_fair
from tests.conftest import DATA, write
from tests.fair_check import violations

FAIR = DATA / "fair" / "batna-constantine-2027.yaml"


@pytest.fixture
def fair_engine(sample_engine):
    sample_engine.import_file(DATA / "requests.jsonl", "request")
    return sample_engine


@pytest.fixture
def planned(fair_engine):
    fair = load_fair(FAIR)
    return fair, plan_fair(fair_engine, fair, time_limit=20)


def test_plan_respects_every_constraint_checked_independently(planned):
    fair, plan = planned
    meetings = [vars(m) for m in plan.meetings]
    assert violations(fair, meetings) == []
    assert plan.stats["suppliers_below_target"] == 0.0 and plan.stats["meetings_per_supplier"]["min"] >= 2
    solver = plan.solver
    assert solver["objective"] >= solver["greedy"]["objective"] and solver["bound"] >= solver["objective"]
    assert solver["objective"] == pytest.approx(solver["value"] - solver["shortfall_penalty"] * solver["shortfall"])
    assert solver["shortfall"] == solver["buyer_shortfall"] + solver["supplier_shortfall"]
    pairs = solver["pairs"]
    assert solver["bound_covers"] == f"every valid timetable: {pairs} pairs that may meet, 18 slots, 10 tables"
    assert (solver["status"] == "optimal") == (solver["gap"] == 0.0)
    assert plan.stats["buyers_without_meeting"] == 0 and plan.stats["buyers_below_target"] == 0.0
    assert all(m.eligible or m.wish == "mutual" for m in plan.meetings)
    assert all(m.why for m in plan.meetings)
    assert ("R03", "BAT-002") in {(m.request_id, m.supplier_id) for m in plan.meetings}  # must-meet
    assert ("R08", "BAT-003") not in {(m.request_id, m.supplier_id) for m in plan.meetings}  # do-not-meet


def test_same_input_same_plan_and_same_id(fair_engine, planned):
    fair, plan = planned
    again = plan_fair(fair_engine, fair, time_limit=20)
    assert [vars(m) for m in again.meetings] == [vars(m) for m in plan.meetings]
    store = fair_engine.store
    assert save_plan(store, fair, plan) == save_plan(store, fair, again) == "fair-" + plan.input_hash[:10]
    # The id comes from the input (definition, scores, settings), not from the plan or the time it took.
    slower = plan.model_copy(update={"solver": {**plan.solver, "seconds": 99.0}})
    assert save_plan(store, fair, slower) == save_plan(store, fair, plan)
    assert plan_fair(fair_engine, fair, time_limit=20, seed=1).input_hash != plan.input_hash
    assert plan_fair(fair_engine, _fair(tables=9), time_limit=20).input_hash != plan.input_hash


def _fair(**changes):
    data = load_fair(FAIR).model_dump(mode="json")
    data.update(changes)
    return parse_fair(data, "f.yaml")


def test_impossible_inputs_are_explained(fair_engine):
    with pytest.raises(RecordError) as err:
        plan_fair(fair_engine, _fair(buyers=[{"request_id": "R404"}, {"request_id": "R01", "would_like": ["NOPE-1"]}],
                                     suppliers=[{"supplier_id": "BAT-001"}]), file="f.yaml")
    assert str(err.value) == ("f.yaml: field 'buyers.0.request_id': no stored request 'R404'; "
                              "f.yaml: field 'buyers.1.would_like': 'NOPE-1' does not attend this fair")
    conflict = _fair(buyers=[{"request_id": "R01", "must_meet": ["BAT-001"]}],
                     suppliers=[{"supplier_id": "BAT-001", "do_not_meet": ["R01"]}])
    with pytest.raises(RecordError) as err:
        plan_fair(fair_engine, conflict, file="f.yaml")
    assert str(err.value) == ("f.yaml: field 'buyers.0.must_meet': R01 and BAT-001: one side must meet the other, "
                              "which asked not to meet")
    # R17 needs Fairtrade gold; nobody has it: a one-sided must-meet cannot make it eligible.
    ineligible = _fair(buyers=[{"request_id": "R17", "must_meet": ["BAT-003"]}], suppliers=[{"supplier_id": "BAT-003"}])
    with pytest.raises(RecordError, match="R17 and BAT-003: the supplier misses a must-have of the request"):
        plan_fair(fair_engine, ineligible, file="f.yaml")
    mutual = _fair(buyers=[{"request_id": "R17", "must_meet": ["BAT-003"]}],
                   suppliers=[{"supplier_id": "BAT-003", "would_like": ["R17"]}])
    plan = plan_fair(fair_engine, mutual, time_limit=10)
    assert [(m.request_id, m.supplier_id, m.eligible, m.wish) for m in plan.meetings] == [
        ("R17", "BAT-003", False, "mutual")]


def test_exports_grid_agendas_and_calendars(planned, tmp_path):
    fair, plan = planned
    files = write_plan(plan, tmp_path, fair.tables, fair.timezone)
    names = {f.name for f in files}
    assert {"plan.json", "grid.csv", "agendas.csv", "plan.xlsx", "grid.html", "agendas.html", "R03.ics"} <= names
    grid = list(csv.reader((tmp_path / "grid.csv").read_text("utf-8-sig").splitlines()))
    assert grid[0] == ["start", *[f"table {t}" for t in range(1, 11)]] and len(grid) == 1 + 18
    agendas = list(csv.DictReader((tmp_path / "agendas.csv").read_text("utf-8-sig").splitlines()))
    assert len(agendas) == 2 * len(plan.meetings)
    cal = icalendar.Calendar.from_ical((tmp_path / "ics" / "R03.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    mine = [m for m in plan.meetings if m.request_id == "R03"]
    assert len(events) == len(mine)
    first = min(mine, key=lambda m: m.start)
    start = min(e.decoded("DTSTART") for e in events)
    local = datetime.fromisoformat(first.start).replace(tzinfo=ZoneInfo("Africa/Algiers"))
    assert start == local and start.utcoffset().total_seconds() == 0  # written in UTC, same instant
    raw = (tmp_path / "ics" / "R03.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert "<script" not in (tmp_path / "agendas.html").read_text("utf-8")


def test_outcomes_become_judgments(fair_engine, planned, tmp_path):
    fair, plan = planned
    store = fair_engine.store
    plan_id = save_plan(store, fair, plan)
    assert save_plan(store, fair, plan) == plan_id  # same plan, same id
    m1, m2, m3 = plan.meetings[:3]
    record_outcome(store, plan_id, m1.meeting_id, "follow_up")
    record_outcome(store, plan_id, m1.meeting_id, "agreement", "signed in June")  # later update
    record_outcome(store, plan_id, m2.meeting_id, "not_held")
    record_outcome(store, plan_id, m3.meeting_id, "no_interest")
    expected: dict = {}
    expected.setdefault(m1.request_id, {})[m1.supplier_id] = 3
    expected.setdefault(m3.request_id, {})[m3.supplier_id] = 0  # m2 did not take place: no label
    assert outcome_qrels(store, plan_id) == expected
    assert store.outcomes(plan_id)[m1.meeting_id].note == "signed in June"
    with pytest.raises(InputError, match=r"^outcome must be one of not_held, no_interest, follow_up, "):
        record_outcome(store, plan_id, m1.meeting_id, "great")
    with pytest.raises(NotFoundError, match=rf"^meeting in plan {plan_id} 'M9999' not found$"):
        record_outcome(store, plan_id, "M9999", "agreement")
    sheet = write(tmp_path, "o.csv",
                  f"meeting_id,outcome,note\n{m2.meeting_id},cooperation_possible,\nM9999,agreement,\n")
    with pytest.raises(RecordError) as err:
        import_outcomes(store, plan_id, sheet)
    assert str(err.value) == f"o.csv, row 3: field 'meeting_id': meeting in plan {plan_id} 'M9999' not found"
    assert store.outcomes(plan_id)[m2.meeting_id].outcome == "not_held"  # nothing written
    good = write(tmp_path, "ok.csv", f"meeting_id,outcome\n{m2.meeting_id},cooperation_possible\n")
    assert import_outcomes(store, plan_id, good) == 1
    assert store.outcomes(plan_id)[m2.meeting_id].outcome == "cooperation_possible"
