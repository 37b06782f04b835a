"""`matcher fair plan | list | outcome | qrels` through the real command line."""

import json
import re

import pytest

from tests.conftest import DATA, write

FAIR = str(DATA / "fair" / "batna-constantine-2027.yaml")


@pytest.fixture
def loaded(cli):
    assert cli("import", "suppliers", str(DATA / "suppliers.csv")).exit_code == 0
    assert cli("import", "requests", str(DATA / "requests.jsonl")).exit_code == 0
    return cli


def test_plan_writes_exports_and_reports_solver_and_greedy(loaded, tmp_path):
    out = tmp_path / "fair"
    result = loaded("fair", "plan", FAIR, "--out", str(out), "--time-limit", "20")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("plan fair-") and "below target 0%" in lines[0]
    assert lines[1].startswith("buyers: meetings min/median/max ") and ", without a meeting 0;" in lines[1]
    objective = re.fullmatch(r"objective ([\d.]+) = value \1 - 10 x 0 meeting\(s\) short of targets "
                             r"\(buyers 0, suppliers 0\)", lines[2]).group(1)
    # The sample fair is small: the plan reaches the bound over every valid timetable, so it says optimal.
    assert lines[3].startswith("solver: optimal, proven: no valid timetable of this input scores more than this "
                               "plan, to within 0.000") and "; gap 0.00%; " in lines[3]
    bound = re.match(r"bound ([\d.]+) covers every valid timetable: \d+ pairs that may meet, 18 slots, 10 tables \(",
                     lines[4]).group(1)
    assert 0 <= float(bound) - float(objective) <= 0.0015  # the bound is shown rounded up
    greedy = float(re.match(r"greedy baseline: objective (-?[\d.]+) \(", lines[5]).group(1))
    assert greedy <= float(objective) and lines[5].endswith("; returned the optimised plan")
    assert (out / "grid.html").exists() and (out / "ics" / "R03.ics").exists()
    plan_id = lines[0].split()[1].rstrip(":")
    assert loaded("fair", "list").output.startswith(f"{plan_id}\t")


def test_outcomes_then_qrels(loaded, tmp_path):
    data = json.loads(loaded("fair", "plan", FAIR, "--out", str(tmp_path / "f"), "--json").output)
    plan_id = data["plan_id"]
    meetings = json.loads((tmp_path / "f" / "plan.json").read_text("utf-8"))["meetings"]
    first = meetings[0]["meeting_id"]
    assert loaded("fair", "outcome", plan_id, first, "agreement").output == f"{plan_id} {first}: agreement\n"
    bad = loaded("fair", "outcome", plan_id, first, "maybe")
    assert bad.exit_code == 2 and "'maybe' is not one of" in bad.output
    sheet = write(tmp_path, "o.csv", f"meeting_id,outcome\n{meetings[1]['meeting_id']},no_interest\n")
    assert loaded("fair", "outcome", plan_id, "--file", str(sheet)).output == f"1 outcome(s) recorded for {plan_id}\n"
    out = tmp_path / "fair-qrels.tsv"
    assert loaded("fair", "qrels", "--out", str(out)).output == f"{out}: 2 judgment(s) over " \
        f"{len({meetings[0]['request_id'], meetings[1]['request_id']})} request(s)\n"
    rows = out.read_text("utf-8").splitlines()
    assert rows[0] == "request_id\tsupplier_id\tgrade"
    assert f"{meetings[0]['request_id']}\t{meetings[0]['supplier_id']}\t3" in rows
    # The labels feed evaluation like any judgments file.
    assert loaded("evaluate", "--qrels", str(out), "--twins", "", "--no-match", "").exit_code == 0


def test_plan_errors_name_file_and_field(loaded, tmp_path):
    bad = write(tmp_path, "bad.yaml", "name: X\ntables: 1\ndays: []\nbuyers: [{request_id: R01}]\n"
                                      "suppliers: [{supplier_id: BAT-001}]\n")
    result = loaded("fair", "plan", str(bad), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert result.output == "Error: bad.yaml: field 'days': List should have at least 1 item after validation, not 0\n"
