"""Fair plans over the API (team only) and on the team page."""

import re

import pytest

from matcher.fair.definition import load_fair
from matcher.fair.summary import summary
from tests.conftest import DATA, auth, engine_of, wait_job

FAIR = DATA / "fair" / "batna-constantine-2027.yaml"


@pytest.fixture
def fair_body(app, keys):
    engine_of(app).import_file(DATA / "requests.jsonl", "request")
    return load_fair(FAIR).model_dump(mode="json")


def test_plan_fetch_download_and_record_outcomes(client, keys, fair_body):
    h = auth(keys["team"])
    queued = client.post("/api/v1/fairs?time_limit=20", json=fair_body, headers=h)
    assert queued.status_code == 202 and queued.json["kind"] == "plan_fair", queued.json
    job = wait_job(client.get, queued.json, h, timeout=120)
    assert job["state"] == "done" and job["progress"] == 100
    created = job["result"]
    plan_id = created["plan_id"]
    assert created["stats"]["suppliers_below_target"] == 0.0
    solver = created["solver"]
    assert solver["status"] in ("optimal", "feasible") and solver["status_text"].startswith(solver["status"])
    assert solver["bound_covers"].startswith("every valid timetable: ") and solver["bound"] >= solver["objective"]
    again = wait_job(client.get, client.post("/api/v1/fairs?time_limit=20", json=fair_body, headers=h).json, h,
                     timeout=120)
    assert again["result"]["plan_id"] == plan_id  # the same input, the same plan id
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"key": keys["team"], "csrf": token}).status_code == 302
    html = client.get(f"/team/fairs/{plan_id}").get_data(as_text=True)
    said = re.search(r'<div id="fair-solver"><p>(.*?)</p>', html, re.S).group(1)  # a sentence, from the report
    assert said == summary(solver, "en")["sentences"][0]
    assert said.startswith("Best possible plan: proven optimal" if solver["status"] == "optimal" else "Good plan")
    assert f'<td class="num">{solver["bound"]:g}</td>' in html  # the exact figures stay, in a details element
    assert client.get("/api/v1/fairs", headers=h).json["plans"][0]["plan_id"] == plan_id
    plan = client.get(f"/api/v1/fairs/{plan_id}", headers=h).json
    first = plan["meetings"][0]
    grid = client.get(f"/api/v1/fairs/{plan_id}/files/grid.csv", headers=h)
    assert grid.mimetype == "text/csv" and grid.get_data(as_text=True).lstrip("\ufeff").startswith("start,table 1,")
    cal = client.get(f"/api/v1/fairs/{plan_id}/files/ics/{first['request_id']}.ics", headers=h)
    assert cal.mimetype == "text/calendar" and cal.data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert client.get(f"/api/v1/fairs/{plan_id}/files/ics/NOBODY.ics", headers=h).status_code == 404
    assert client.get(f"/api/v1/fairs/{plan_id}/files/../../etc/passwd", headers=h).status_code == 404
    put = client.put(f"/api/v1/fairs/{plan_id}/outcomes/{first['meeting_id']}",
                     json={"outcome": "cooperation_possible", "note": "samples in May"}, headers=h)
    assert put.status_code == 200 and put.json["outcome"] == "cooperation_possible"
    bad = client.put(f"/api/v1/fairs/{plan_id}/outcomes/{first['meeting_id']}", json={"outcome": "yes"}, headers=h)
    assert bad.status_code == 422 and bad.json["message"] == (
        "request body: field 'outcome': must be one of 'not_held', 'no_interest', 'follow_up', "
        "'cooperation_possible' or 'agreement' (got 'yes')")
    qrels = client.get(f"/api/v1/fairs/{plan_id}/qrels", headers=auth(keys["evaluator"]))
    assert qrels.get_data(as_text=True) == (
        f"request_id\tsupplier_id\tgrade\n{first['request_id']}\t{first['supplier_id']}\t2\n")


def test_fair_errors_and_roles(client, keys, fair_body):
    assert client.post("/api/v1/fairs", json=fair_body, headers=auth(keys["buyer"])).status_code == 403
    assert client.get("/api/v1/fairs", headers=auth(keys["evaluator"])).status_code == 403
    bad = client.post("/api/v1/fairs", json={**fair_body, "buyers": [{"request_id": "R404"}], "suppliers":
                                             [{"supplier_id": "BAT-001"}]}, headers=auth(keys["team"]))
    failed = wait_job(client.get, bad.json, auth(keys["team"]))  # checked against the store by the job
    assert failed["state"] == "failed" and failed["result"] is None
    assert failed["details"] == [{"field": "buyers.0.request_id", "message": "no stored request 'R404'",
                                  "row": None}]
    slow = client.post("/api/v1/fairs?time_limit=9999", json=fair_body, headers=auth(keys["team"]))
    assert slow.status_code == 422 and slow.json["details"][0]["field"] == "time_limit"
    assert client.get("/api/v1/fairs/fair-404", headers=auth(keys["team"])).status_code == 404
