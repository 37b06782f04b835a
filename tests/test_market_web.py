"""Consortium offers and the market report over HTTP (test client and a live server) and in Chromium."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import requests
from openpyxl import load_workbook

from matcher.keys import create_key
from tests.browser import sign_in
from tests.conftest import auth, engine_of
from tests.test_consortium import CATALOGUE, earrings
from tests.test_market import CATALOGUE as MARKET
from tests.test_market import REQUESTS


@pytest.fixture
def shop(app):
    """The consortium catalogue, a stored 1 200-earrings request of 'Maison Aurès', and keys."""
    store = engine_of(app).store
    store.upsert_suppliers(CATALOGUE)
    store.upsert_requests([earrings(1200, request_id="BIG", buyer_name="Maison Aurès")])
    return {"team": create_key(store, "team")[1], "buyer": create_key(store, "buyer", "Maison Aurès")[1],
            "other": create_key(store, "buyer", "Copper & Co")[1]}


def test_consortia_of_a_stored_request(client, shop):
    r = client.post("/api/v1/requests/BIG/consortia?max_members=3", headers=auth(shop["buyer"]))
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "groups" and body["max_members"] == 3
    assert [(m["supplier_id"], m["allocated"]) for m in body["groups"][0]["members"]] == [
        ("A", 400), ("B", 300), ("C", 500)]
    assert body["groups"][0]["text"].startswith("together 1 200 in 30 days for your 1 200 (3 workshops)")
    assert client.post("/api/v1/requests/BIG/consortia", headers=auth(shop["other"])).status_code == 404
    assert client.post("/api/v1/requests/NOPE/consortia", headers=auth(shop["team"])).status_code == 404
    assert client.post("/api/v1/requests/BIG/consortia").status_code == 401
    bad = client.post("/api/v1/requests/BIG/consortia?max_members=12", headers=auth(shop["team"]))
    assert bad.status_code == 422 and bad.get_json()["details"][0]["field"] == "max_members"


def test_the_json_shortlist_carries_the_consortia(client, shop):
    body = client.post("/api/v1/shortlists", json={"top_k": 3}, headers=auth(shop["team"])).get_json()
    assert [(r["request_id"], r["group"], r["supplier_id"], r["allocated"]) for r in body["consortia"]] == [
        ("BIG", 1, "A", 400), ("BIG", 1, "B", 300), ("BIG", 1, "C", 500)]


@pytest.fixture
def history(app):
    store = engine_of(app).store
    store.upsert_suppliers(MARKET)
    store.upsert_requests([r for r, _ in REQUESTS.values()])
    store.set_request_dates({rid: f"{day}T10:00:00+00:00" for rid, (_, day) in REQUESTS.items()})
    return {"team": create_key(store, "team")[1], "buyer": create_key(store, "buyer", "Buyer R1")[1],
            "evaluator": create_key(store, "evaluator")[1]}


def test_market_report_is_for_the_team_only(client, history):
    r = client.get("/api/v1/reports/market?since=2026-03-01&until=2026-03-31", headers=auth(history["team"]))
    assert r.status_code == 200
    body = r.get_json()
    assert body["requests"] == 7 and body["previous"][0] == "2026-01-29T00:00:00+00:00"
    assert body["tables"][0]["rows"][0] == ["Batna", "Jewellery", 4, 1, 1, 2, 75]
    for role in ("buyer", "evaluator"):
        assert client.get("/api/v1/reports/market", headers=auth(history[role])).status_code == 403
    bad = client.get("/api/v1/reports/market?since=2026-02-30", headers=auth(history["team"]))
    assert bad.status_code == 422 and bad.get_json()["message"] == "since: '2026-02-30' is not a date (YYYY-MM-DD)"


def test_market_report_downloads_over_http(live_server, history):
    api = f"{live_server}/api/v1/reports/market"
    xlsx = requests.get(f"{api}?format=xlsx&cluster=Batna", headers=auth(history["team"]), timeout=60)
    assert xlsx.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert [c.value for c in book["Demand by family"][2]] == ["Batna", "Jewellery", 7, 3, 2, 2, 57]
    page_ = requests.get(f"{api}?format=html&since=2026-03-01&until=2026-03-31", headers=auth(history["team"]),
                         timeout=60)
    assert page_.headers["Content-Type"].startswith("text/html") and page_.text.count("<svg") == 4
    assert requests.get(api, headers=auth(history["buyer"]), timeout=30).status_code == 403


def test_consortia_over_http(live_server, shop):
    r = requests.post(f"{live_server}/api/v1/requests/BIG/consortia", headers=auth(shop["buyer"]), timeout=60)
    assert r.status_code == 200 and r.json()["groups"][0]["lead"] == "C"


def test_buyer_page_shows_the_groups(page, live_server, shop):
    sign_in(page, live_server, shop["buyer"])
    page.fill("#description", "silver earrings")
    page.fill("#products", "earrings")
    page.fill("#materials", "silver")
    page.fill("#quantity", "1200")
    page.fill("#max_lead_time_days", "30")
    page.fill("#max_unit_price_eur", "35")
    page.fill("#required_certifications", "hallmark")
    page.fill("#buyer_country", "FR")
    page.click("#submit")
    page.wait_for_selector("#consortia")
    assert page.locator("#consortia h2").inner_text() == "No single workshop can fill this; these groups can"
    group = page.locator("#consortia .consortium").first
    assert group.locator("p").first.inner_text() == ("together 1 200 in 30 days for your 1 200 (3 workshops); "
                                                      "lead: Atelier C, who has exported to FR")
    rows = group.locator("tr").all_inner_texts()
    assert [r.split("\t")[0] for r in rows] == ["Atelier A", "Atelier B", "Atelier C (lead)"]
    assert rows[2].endswith("500 pieces")
    width = group.locator("tr[data-supplier=C] .bar span").evaluate("e => e.style.width")
    assert width == "41.7%"  # 500 of 1 200
    page.fill("#quantity", "850")  # Atelier D alone: no section
    page.click("#submit")
    page.wait_for_selector("#results")
    assert page.locator("#consortia").count() == 0


def test_team_reads_the_market_report_page(page, live_server, history):
    sign_in(page, live_server, history["team"])
    page.click("#market-link")
    page.wait_for_selector("#market-report")
    assert page.locator("h1").inner_text() == "Cluster market report"
    assert page.locator("#market-report svg").count() == 3  # no --since: no period plot
    page.fill("#market-form input[name=since]", "2026-03-01")
    page.click("#market-form button")
    page.wait_for_selector("#market-findings")
    assert page.locator("#market-findings li").inner_text().startswith("WFTO Guaranteed Fair Trade: required by")
    assert page.locator("#market-report svg").count() == 4
    first = page.locator("#market-report table").first.locator("tbody tr").first.locator("td").all_inner_texts()
    assert first[:3] == ["Batna", "Jewellery", "4"]
    with page.expect_download() as download:
        page.click("#market-downloads a >> nth=0")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    page.goto(f"{live_server}/team/market?since=tomorrow")
    assert page.locator("#market-error").inner_text() == "since: 'tomorrow' is not a date (YYYY-MM-DD)"
