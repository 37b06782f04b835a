"""The cluster market report: every figure against a small catalogue computed by hand (see the comments)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from matcher.errors import InputError, NotFoundError
from matcher.fair.definition import parse_fair
from matcher.fair.model import Meeting, Plan
from matcher.market import analyse, to_excel, to_html
from matcher.market.report import periods
from matcher.schema import BuyerRequest, Supplier


def shop(sid, cluster, products, monthly, certs="", langs="ar", practices="", exports="", samples=None,
         material="argent"):
    return Supplier.model_validate({
        "supplier_id": sid, "name": f"Atelier {sid}", "country": "DZ", "cluster": cluster, "description": products,
        "products": products, "materials": material, "monthly_capacity": monthly, "lead_time_days": 20,
        "certifications": certs, "languages": langs, "sustainability": practices, "export_markets": exports,
        "samples": samples})


# Window 30 days everywhere, so capacity in the window = monthly capacity.
CATALOGUE = [
    shop("J1", "Batna", "boucles d'oreilles", 100, "poinçon de garantie; REACH nickel", "fr; ar", "women-led"),
    shop("J2", "Batna", "boucles d'oreilles; bracelets", 300, "poinçon de garantie", exports="FR"),
    shop("J3", "Batna", "colliers", 50, "", "fr; en", "women-led", samples=True),
    shop("J4", "Batna", "bracelets", 600, "poinçon de garantie"),
    shop("C1", "Constantine", "plateaux", 200, "", "fr; ar", "étamage sans plomb", material="cuivre"),
    shop("C2", "Constantine", "plateaux; théières", 1000, "contact alimentaire", "ar; en", material="cuivre"),
    shop("X1", None, "tapis", 40, material="laine"),  # no cluster
]


def ask(rid, product, qty, language, **extra):
    return BuyerRequest.model_validate({"request_id": rid, "buyer_name": f"Buyer {rid}", "description": product,
                                        "products": [product], "quantity": qty, "language": language,
                                        "max_lead_time_days": 30, **extra})


REQUESTS = {  # request, received
    "R0": (ask("R0", "earrings", 10, "fr"), "2025-12-01"),  # before both periods
    "R5": (ask("R5", "earrings", 80, "fr", required_certifications=["hallmark"]), "2026-02-10"),  # previous: met
    "R6": (ask("R6", "necklaces", 1000, "en"), "2026-02-11"),  # previous: under-met (J4 600 < 1000)
    # met: J1, J2, J4 reach it, and J4 makes 600
    "R1": (ask("R1", "earrings", 50, "fr", required_certifications=["hallmark"],
               preferred_certifications=["REACH nickel"], sustainability=["women-led"]), "2026-03-02"),
    # under-met: only J1 (100 in 30 days) has REACH nickel
    "R2": (ask("R2", "earrings", 500, "en", required_certifications=["REACH nickel"]), "2026-03-03"),
    "R3": (ask("R3", "bracelets", 100, "de", required_certifications=["WFTO"], export_experience_required=True),
           "2026-03-04"),  # unmet; only WFTO missing: J2
    "R4": (ask("R4", "necklaces", 200, "fr", required_certifications=["WFTO"], samples_required=True),
           "2026-03-05"),  # unmet; only WFTO missing: J3
    "R7": (ask("R7", "trays", 1500, "ar", max_unit_price_eur=20), "2026-03-06"),  # under-met: 1000; together 1200
    "R8": (ask("R8", "trays", 100, "it", required_certifications=["contact alimentaire"],
               sustainability=["sans plomb"]), "2026-03-07"),  # met by C2
    "R9": (ask("R9", "rugs", 10, "fr"), "2026-03-08"),  # no cluster makes rugs
}


@pytest.fixture
def market(engine):
    store = engine.store
    store.upsert_suppliers(CATALOGUE)
    store.upsert_requests([r for r, _ in REQUESTS.values()])
    store.set_request_dates({rid: f"{day}T10:00:00+00:00" for rid, (_, day) in REQUESTS.items()})
    fair = parse_fair({"name": "F", "days": [{"date": "2026-04-01", "start": "09:00", "slot_minutes": 30, "slots": 4}],
                       "tables": 2, "buyers": [{"request_id": "R1"}], "suppliers": [{"supplier_id": "J1"}]})
    meetings = [Meeting(meeting_id=f"M{i}", request_id=r, buyer_name="B", supplier_id=s, supplier_name=s, slot=i,
                        start="2026-04-01T09:00", end="2026-04-01T09:30", table=1, value=1, score=0.5, eligible=True,
                        wish="", must=False, why="") for i, (r, s) in enumerate(
                            [("R1", "J1"), ("R1", "J2"), ("R7", "C1"), ("R7", "C2"), ("R0", "J1")])]
    store.save_plan("fair-1", fair, Plan(fair="F", stats={}, solver={}, notes=[], meetings=meetings))
    store.put_outcomes("fair-1", [("M0", "agreement", None), ("M1", "no_interest", None), ("M2", "not_held", None),
                                  ("M3", "follow_up", None)])  # M4 (R0, before the period) has no outcome
    return engine


def table(a, title):
    (t,) = [t for t in a.report.tables if t.title == title]
    return t.rows


def test_every_figure_of_the_report(market):
    a = analyse(market, since="2026-03-01", until="2026-03-31")
    r = a.report
    assert r.period == ("2026-03-01T00:00:00+00:00", "2026-04-01T00:00:00+00:00")
    assert r.previous == ("2026-01-29T00:00:00+00:00", "2026-03-01T00:00:00+00:00")  # 31 days before
    assert (r.requests, r.requests_previous, r.clusters) == (7, 2, ["Batna", "Constantine"])
    assert table(a, "Demand by family") == [
        ["Batna", "Jewellery", 4, 1, 1, 2, 75],  # R1 met, R2 under-met, R3 R4 unmet
        ["Constantine", "Copperware and metalware", 2, 1, 1, 0, 50]]  # R8 met, R7 under-met
    assert table(a, "Unmet and under-met demand") == [
        ["Batna", "Jewellery", "100-499", "no ceiling", 2, 0, 2, 0, 300],  # R3 100 + R4 200
        ["Batna", "Jewellery", "500-1 999", "no ceiling", 1, 1, 0, 500, 0],  # R2
        ["Constantine", "Copperware and metalware", "500-1 999", "10-24.99 EUR", 1, 1, 0, 1500, 0]]  # R7
    reach, wfto, hallmark = ("REACH nickel release (Annex XVII entry 27)", "WFTO Guaranteed Fair Trade",
                             "Hallmark (official assay mark)")
    assert table(a, "Certifications and practices") == [
        # requests, required (%), preferred (%), workshops with it of those in the family, opens, to certify
        ["Batna", "Jewellery", "certification", reach, 4, 1, 25, 1, 25, 1, 4, 0, 0],  # R2 requires, R1 prefers; J1
        ["Batna", "Jewellery", "certification", wfto, 4, 2, 50, 0, 0, 0, 4, 2, 2],  # R3 via J2, R4 via J3: two shops
        ["Batna", "Jewellery", "certification", hallmark, 4, 1, 25, 0, 0, 3, 4, 0, 0],  # J1 J2 J4
        ["Batna", "Jewellery", "practice", "Women-led", 4, 0, 0, 1, 25, 2, 4, "", ""],  # J1 J3
        ["Constantine", "Copperware and metalware", "certification", "EU food contact (Regulation 1935/2004)",
         2, 1, 50, 0, 0, 1, 2, 0, 0],
        ["Constantine", "Copperware and metalware", "practice", "Lead-free (tinning, solder, glaze)",
         2, 0, 0, 1, 50, 1, 2, "", ""]]
    assert r.headlines == ["WFTO Guaranteed Fair Trade: required by 50% of jewellery requests; 0 of 4 Batna "
                           "workshops have it; certifying 2 more would open 2 request(s)"]
    assert table(a, "Capacity against demand") == [
        # median of 50, 500, 100, 200 = 150; R2: J1 alone and together 100 < 500, 400 short
        ["Batna", "Jewellery", 4, 150, 500, 600, 1050, 1, 1, 400],
        # R7: C2 1000 alone, 1200 together < 1500, 300 short
        ["Constantine", "Copperware and metalware", 2, 800, 1500, 1000, 1200, 1, 1, 300]]
    assert table(a, "Languages") == [
        ["Batna", "de", 1, 25, 0, 4, "no workshop speaks it"], ["Batna", "en", 1, 25, 1, 4, ""],
        ["Batna", "fr", 2, 50, 2, 4, ""],
        ["Constantine", "ar", 1, 50, 2, 2, ""], ["Constantine", "it", 1, 50, 0, 2, "no workshop speaks it"]]
    assert table(a, "Period against period") == [
        ["Batna", "Jewellery", 2, 4, 1, 3, 50, 75, 25],  # before: R5 met, R6 under-met
        ["Constantine", "Copperware and metalware", 0, 2, 0, 1, 0, 50, 50]]
    assert table(a, "Fair outcomes") == [
        # meetings, not held, no interest, follow-up, cooperation possible, agreement, % of held
        ["Batna", "Jewellery", 2, 0, 1, 0, 0, 1, 50], ["Constantine", "Copperware and metalware", 2, 1, 0, 1, 0, 0, 0]]
    assert table(a, "Requests addressed to no cluster in this report") == [["R9", "Textiles and rugs", 10]]
    rows = table(a, "Requests")
    assert [row[2] for row in rows] == ["R1", "R2", "R3", "R4", "R7", "R8"]
    assert rows[1] == ["Batna", "Jewellery", "R2", "2026-03-03", 500, 30, None, "under-met", 1, 100, 100, ""]
    assert rows[2] == ["Batna", "Jewellery", "R3", "2026-03-04", 100, 30, None, "unmet", 0, 0, 0, "wfto"]
    assert rows[4][6] == 20.0 and rows[4][7:11] == ["under-met", 2, 1000, 1200]


def test_one_cluster_and_no_comparison_without_since(market):
    a = analyse(market, cluster="batna")
    assert a.report.clusters == ["Batna"] and a.report.previous is None and a.report.requests == 10
    assert [t.title for t in a.report.tables if t.title == "Period against period"] == []
    assert table(a, "Demand by family") == [["Batna", "Jewellery", 7, 3, 2, 2, 57]]  # + R0 met, R5 met, R6 under-met
    assert [row[0] for row in table(a, "Requests addressed to no cluster in this report")] == ["R7", "R8", "R9"]


def test_html_and_xlsx_carry_the_same_tables(market):
    a = analyse(market, since="2026-03-01", until="2026-03-31")
    page = to_html(a)
    assert page.startswith("<!doctype html>") and page.count("<svg") == 4  # status, certifications, capacity, periods
    assert not re.search(r"(src|href)=\"(https?:|//)", page) and "<link" not in page  # self-contained
    assert "certifying 2 more would open 2 request(s)" in page and "<td dir=\"auto\">no workshop speaks it</td>" in page
    book = load_workbook(io.BytesIO(to_excel(a)))
    assert book.sheetnames[0] == "About" and "Certifications and practices" in book.sheetnames
    sheet = book["Demand by family"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == table(a, "Demand by family")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"cluster": "Tlemcen"}, "cluster 'Tlemcen' not found (clusters: Batna, Constantine)"),
    ({"since": "01/03/2026"}, "since: '01/03/2026' is not a date (YYYY-MM-DD)"),
    ({"since": "2026-04-01", "until": "2026-03-01"}, "since (2026-04-01) must be on or before until (2026-03-01)"),
])
def test_bad_arguments_are_named(market, kwargs, message):
    with pytest.raises((InputError, NotFoundError)) as err:
        analyse(market, **kwargs)
    assert str(err.value) == message


def test_periods_are_consecutive_and_of_equal_length():
    (start, end), previous = periods("2026-01-01", "2026-01-10")
    assert (start, end) == ("2026-01-01T00:00:00+00:00", "2026-01-11T00:00:00+00:00")
    assert previous == ("2025-12-22T00:00:00+00:00", "2026-01-01T00:00:00+00:00")




def test_the_document_lists_the_404_for_an_unknown_cluster(client):
    """schemathesis (team key, 50 examples) found the 404 undocumented."""
    responses = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/reports/market"]["get"]["responses"]
    assert "404" in responses
