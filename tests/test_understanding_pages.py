"""Request understanding through the real interfaces: HTTP, and the buyer page in headless Chromium."""

from tests.browser import sign_in
from tests.conftest import auth

UNKNOWN = {"buyer_name": "x", "description": "We need 120 brass lanterns within 8 weeks for our hotel lobby.",
           "required_certifications": ["ISO 9010"]}


def test_an_unknown_must_have_over_http_says_so_with_did_you_mean(client, keys):
    r = client.post("/api/v1/match", json=UNKNOWN, headers=auth(keys["buyer"]))
    assert r.status_code == 200
    body = r.json
    note = body["interpretation"]["terms"][0]
    assert (note["field"], note["status"]) == ("required_certifications", "unknown")
    assert note["message"] == ("'ISO 9010' is not a certificate we know: suppliers are matched by their own text; "
                               "did you mean: ISO 9001 quality management, ISO 14001 environmental management?")
    assert [s["id"] for s in note["suggestions"]] == ["iso_9001", "iso_14001"]
    assert body["message"] == ("No supplier meets all must-haves (ISO 9010). "
                               "Nearest misses are listed with what each lacks.")
    reason = body["near_misses"][0]["reasons"][0]
    assert (reason["factor"], reason["kind"], reason["values"]) == ("must", "missing_by_text",
                                                                     {"label": {"text": "ISO 9010"}})
    read = {e["id"]: (e["value"], e["text"], e["applied"]) for e in body["interpretation"]["extracted"]}
    assert read["quantity"] == (120, "120 brass lanterns", True)
    assert read["max_lead_time_days"] == (56, "within 8 weeks", True)


def test_items_read_from_the_text_can_be_dismissed(client, keys):
    body = {"buyer_name": "x", "description": "Lanternes en laiton, 300 pièces, livraison sous 30 jours."}
    first = client.post("/api/v1/match?include_ineligible=true", json=body, headers=auth(keys["buyer"])).json
    assert {e["id"]: e["applied"] for e in first["interpretation"]["extracted"]}["max_lead_time_days"]
    again = client.post("/api/v1/match", json={**body, "ignore": ["max_lead_time_days"]},
                        headers=auth(keys["buyer"])).json
    lead = next(e for e in again["interpretation"]["extracted"] if e["id"] == "max_lead_time_days")
    assert (lead["applied"], lead["note"]) == (False, "non appliqué : retiré par vous")
    assert all("lead_time" not in m["factors"] for m in again["matches"])


def test_an_unknown_must_have_on_the_buyer_page(page, live_server, keys):
    sign_in(page, live_server, keys["buyer"], "en")
    page.fill("#description", UNKNOWN["description"])
    page.fill("#required_certifications", "ISO 9010")
    page.click("#submit")
    page.wait_for_selector("#results")
    note = page.locator(".term-note[data-status=unknown]")
    assert note.inner_text() == ("'ISO 9010' is not a certificate we know: suppliers are matched by their own text; "
                                 "did you mean: ISO 9001 quality management, ISO 14001 environmental management?")
    assert page.locator("#result-message").inner_text().startswith("No supplier meets all must-haves (ISO 9010).")
    chips = page.locator("#understood .chip")
    assert "120 units" in chips.first.inner_text()


def test_an_arabic_request_is_explained_in_arabic_on_an_english_page(page, live_server, keys):
    sign_in(page, live_server, keys["buyer"], "en")
    assert page.locator("h1").inner_text() == "Sourcing request"  # the interface stays English
    page.fill("#description", "نبحث عن صواني نحاسية مطروقة يدويا للفندق، ٢٠٠ قطعة، التسليم خلال ٦٠ يوما.")
    page.click("#submit")
    page.wait_for_selector("#results")
    results = page.locator("#results")
    assert (results.get_attribute("lang"), results.get_attribute("dir")) == ("ar", "rtl")
    assert page.locator("#request-language").inner_text() == "لغة طلبكم: العربية (مُكتشفة)"
    first = page.locator("li.match").first
    reasons = first.locator(".reasons li").all_inner_texts()
    assert any(r.startswith("يصنع ما تطلبونه: صواني") for r in reasons), reasons
    assert not any("Trays" in r for r in reasons)
    chips = page.locator("#understood .chip").all_inner_texts()
    assert any("200 قطعة" in c for c in chips) and any("خلال 60 يومًا" in c for c in chips)
    # Remove the lead time read from the text, search again: it is shown as not applied.
    page.locator("#understood .chip[data-item=max_lead_time_days] input[name=ignore]").check()
    page.click("#rerun")
    page.wait_for_selector("#results")
    off = page.locator("#understood .chip[data-item=max_lead_time_days]")
    assert "off" in (off.get_attribute("class") or "") and "أزلتموه" in off.inner_text()
