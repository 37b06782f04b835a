"""The fair editor page: the form writes the definition the CLI reads, with the CLI's errors."""

from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from matcher.errors import RecordError
from matcher.fair.definition import load_fair, parse_fair
from matcher_web import fair_editor as editor
from tests.browser import sign_in
from tests.conftest import DATA, engine_of

SAMPLE = DATA / "fair" / "batna-constantine-2027.yaml"


def _posted(values: dict) -> MultiDict:
    """``values`` as the browser posts them: one item per ticked box, strings elsewhere."""
    items = []
    for key, value in values.items():
        items += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    return MultiDict(items)


def test_definition_to_form_to_definition_is_the_same_fair():
    fair = load_fair(SAMPLE)
    values = editor.values_from_form(_posted(editor.form_from_definition(fair)))
    data, problems = editor.definition_from_form(values)
    assert problems == []
    assert parse_fair(data, editor.FILE) == fair
    assert values["n_wishes"] == "19" and values["day-1-breaks"] == "12:30-14:00"


def test_blank_rows_are_dropped_and_errors_are_the_clis():
    form = _posted({"name": "Salon", "tables": "0", "n_days": "3", "day-0-date": "", "day-1-date": "2027-04-20",
                    "day-1-start": "09:00", "day-1-slot_minutes": "30", "day-1-slots": "4",
                    "day-1-breaks": "11:00-10:00", "buyer": ["R01"], "supplier": ["S1"], "n_wishes": "2",
                    "wish-0-who": "buyer:R09", "wish-0-kind": "must_meet", "wish-0-whom": "S1"})
    values = editor.values_from_form(form)
    data, fair, problems = editor.check(values)
    assert fair is None and values["n_days"] == "1" and values["day-0-date"] == "2027-04-20"
    with pytest.raises(RecordError) as cli:  # the same data as a file gives the same problems
        parse_fair(data, editor.FILE)
    assert [str(p) for p in cli.value.problems] == [
        "fair editor: field 'days.0.breaks': '11:00-10:00' ends before it starts",
        "fair editor: field 'tables': Input should be greater than or equal to 1"]
    assert [str(p) for p in problems] == [  # and the wish row names a buyer who is not ticked
        "fair editor: field 'wishes.0': 'R09' does not attend this fair", *map(str, cli.value.problems)]
    assert [editor.input_of(p.field, data) for p in problems] == ["wish-0-who", "day-0-breaks", "tables"]
    values.update({"tables": "2", "day-0-breaks": "", "wish-0-who": "buyer:R01"})
    values["wish-0-whom"] = "R01"  # a buyer wishing to meet a buyer: the planner's own check
    data, fair, problems = editor.check(values)
    assert [str(p) for p in problems] == ["fair editor: field 'buyers.0.must_meet': 'R01' does not attend this fair"]
    assert editor.input_of(problems[0].field, data) == "wishes"


def test_the_team_writes_checks_downloads_and_plans_a_fair_in_the_form(page, live_server, keys, app):
    engine_of(app).import_file(DATA / "requests.jsonl", "request")
    sign_in(page, live_server, keys["team"])
    page.click("#new-fair")
    assert page.title().startswith("Fair editor")
    typed = {"name": "Salon de test", "tables": "3", "day-0-date": "2027-04-20", "day-0-start": "09:00",
             "day-0-slot_minutes": "2", "day-0-slots": "6", "day-0-breaks": "10:00-10:30"}
    for field, value in typed.items():
        page.fill(f"#{field}", value)
    for ident in ("buyer-R01", "buyer-R03", "supplier-BAT-001", "supplier-BAT-002", "supplier-CST-003"):
        page.check(f"#{ident}")
    page.fill("#buyer-R03-unavailable", "2027-04-20 09:00-09:30")
    page.select_option("#wish-0-who", "buyer:R03")
    page.select_option("#wish-0-kind", "must_meet")
    page.select_option("#wish-0-whom", "BAT-002")
    page.press("#tables", "Enter")  # Enter checks (it does not add rows)
    summary = page.locator("#editor-errors")  # the errors first, focused, each a link to its field
    assert summary.evaluate("e => e === document.activeElement")
    assert summary.locator("li").all_inner_texts() == [
        "days.0.slot_minutes: Input should be greater than or equal to 5"]
    assert page.locator("#day-0-slot_minutes-error").inner_text() == "Input should be greater than or equal to 5"
    assert page.input_value("#day-0-breaks") == "10:00-10:30"  # what was typed is kept
    assert page.is_checked("#supplier-CST-003") and page.input_value("#wish-0-whom") == "BAT-002"
    page.fill("#day-0-slot_minutes", "30")
    page.click("#check-definition")
    assert page.locator("#editor-ok").inner_text() == "The definition is valid."
    with page.expect_download() as download:
        page.click("#download-yaml")
    written = load_fair(Path(download.value.path()).rename(Path(download.value.path()).with_suffix(".yaml")))
    assert written == parse_fair({
        "name": "Salon de test", "tables": 3,
        "days": [{"date": "2027-04-20", "start": "09:00", "slot_minutes": 30, "slots": 6, "breaks": ["10:00-10:30"]}],
        "buyers": [{"request_id": "R01"}, {"request_id": "R03", "unavailable": ["2027-04-20 09:00-09:30"],
                                           "must_meet": ["BAT-002"]}],
        "suppliers": [{"supplier_id": s} for s in ("BAT-001", "BAT-002", "CST-003")]})
    page.click("#plan-definition")
    page.wait_for_selector("#meetings", timeout=60_000)  # the job runs, then the plan opens
    assert page.locator("h1").inner_text() == "Salon de test"
    page.click("#edit-copy")  # the stored definition comes back into the form
    assert page.input_value("#name") == "Salon de test" and page.is_checked("#buyer-R03")
    assert page.input_value("#wish-0-who") == "buyer:R03"
