"""Each participant's agenda and calendar in that participant's own language."""

import csv

import icalendar
import pytest

from matcher.exports.fair import write_plan
from matcher.fair.definition import load_fair
from matcher.fair.plan import plan_fair, supplier_language
from matcher.fair.summary import target_lowered
from tests.conftest import DATA

FAIR = DATA / "fair" / "batna-constantine-2027.yaml"


@pytest.fixture
def written(sample_engine, tmp_path):
    sample_engine.import_file(DATA / "requests.jsonl", "request")
    fair = load_fair(FAIR)
    plan = plan_fair(sample_engine, fair, time_limit=20)
    write_plan(plan, tmp_path, fair.tables, fair.timezone)
    return plan, tmp_path


def test_suppliers_read_their_language_and_never_the_buyers_reason(written):
    plan, out = written
    italian = [m for m in plan.meetings if m.request_id == "R07"]  # the museum bookshop writes in Italian
    assert italian and all(m.buyer_language == "it" for m in italian)
    rows = list(csv.DictReader((out / "agendas.csv").read_text("utf-8-sig").splitlines()))
    for m in italian:
        assert m.supplier_language in ("fr", "ar", "en")
        supplier_row = next(r for r in rows if r["meeting_id"] == m.meeting_id and r["participant_type"] == "supplier")
        buyer_row = next(r for r in rows if r["meeting_id"] == m.meeting_id and r["participant_type"] == "buyer")
        assert buyer_row["why"] == m.why and buyer_row["language"] == "it"
        assert supplier_row["why"] == m.supplier_why and m.why not in supplier_row["why"]
        assert supplier_row["language"] == m.supplier_language
        cal = icalendar.Calendar.from_ical((out / "ics" / f"{m.supplier_id}.ics").read_bytes())
        event = next(e for e in cal.walk("VEVENT") if m.meeting_id in str(e["uid"]))
        opening = {"fr": "Rendez-vous avec ", "ar": "لقاء مع ", "en": "Meeting with "}[m.supplier_language]
        assert str(event["summary"]).startswith(opening + m.buyer_name)
        assert str(event["description"]) == m.supplier_why
        assert m.why not in str(event["description"])
    buyer_cal = icalendar.Calendar.from_ical((out / "ics" / "R07.ics").read_bytes())
    assert all(str(e["summary"]).startswith("Incontro con ") for e in buyer_cal.walk("VEVENT"))
    arabic = next(m for m in plan.meetings if m.supplier_language == "ar")
    assert arabic.supplier_why and any("\u0600" <= ch <= "\u06ff" for ch in arabic.supplier_why)
    html = (out / "agendas.html").read_text("utf-8")
    assert '<section lang="ar" dir="rtl">\n<h2>جدول المواعيد: ' in html
    assert '<section lang="it" dir="ltr">\n<h2>Agenda: <span dir="auto">Museo delle Culture' in html
    assert "<th>Perché incontrarsi</th>" in html and "<th>سبب اللقاء</th>" in html


def test_supplier_language_is_the_first_of_fr_ar_en_its_sheet_lists():
    assert supplier_language(["shy", "ar", "fr"]) == "ar"
    assert supplier_language(["fr", "ar", "shy"]) == "fr"
    assert supplier_language(["shy", "de"]) == "de"  # none of fr/ar/en: a shipped language it lists
    assert supplier_language(["shy"]) == "en" and supplier_language([]) == "en"


def test_plan_notes_are_catalogue_sentences():
    note = target_lowered("buyer", "R03", 2, 1, 1, 8, 5)
    assert note.text("en") == "R03: target lowered from 2 to 1 (only 1 slot(s) free)"
    assert note.text("fr") == "R03 : objectif abaissé de 2 à 1 (seulement 1 créneau(x) libre(s))"
    assert target_lowered("supplier", "S1", 2, 1, 9, 8, 1).text("en") == (
        "S1: target lowered from 2 to 1 (only 1 compatible buyer(s))")
