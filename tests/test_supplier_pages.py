"""The workshop's page on a phone (375 x 812) in Arabic, in headless Chromium over HTTP: the matching
request explained in Arabic, the gaps, a meeting asked for, the buyer's answer from its own page, the
agenda once planned, and a profile edit (refused field by field, then saved with the audit trail)."""

from matcher.fair.definition import FairDefinition
from matcher.fair.outcomes import save_plan
from matcher.fair.plan import plan_fair
from matcher.fair.requested import with_meeting_requests
from matcher.keys import create_key
from tests.browser import sign_in
from tests.conftest import auth, engine_of

REQUEST = {"buyer_name": "x", "description": "Bracelets et fibules en argent pour une boutique de musée",
           "quantity": 20, "products": ["bracelets"], "max_lead_time_days": 120}
ARABIC = range(0x0600, 0x0700)


def _arabic(text: str) -> bool:
    return any(ord(ch) in ARABIC for ch in text)


def test_supplier_page_in_arabic_on_a_phone(browser, live_server, keys, client, app):
    rid = client.post("/api/v1/requests", json=REQUEST, headers=auth(keys["buyer"])).json["request"]["request_id"]
    engine = engine_of(app)
    store = engine.store
    key = create_key(store, "supplier", supplier="BAT-002")[1]
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="ar", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, key, "ar")
        assert page.url.endswith("/supplier")
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.title().startswith("ورشتك")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
        card = page.locator(f"article.request-match[data-request='{rid}']")
        assert card.count() == 1
        reasons = card.locator(".reasons li").all_inner_texts()
        assert reasons and all(_arabic(r) for r in reasons[:2])  # the engine's reasons, in Arabic
        assert "Maison" not in page.content()  # never the buyer's name before a meeting
        # every control has a label; a skip link leads to the content
        unlabeled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]),select,textarea')]
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)""")
        assert unlabeled == []
        assert page.locator("a.skip").get_attribute("href") == "#content"
        # ask for a meeting
        card.locator("textarea").fill("نسعد بلقائكم")
        card.locator("button[type=submit]").click()
        page.wait_for_selector("#notice")
        assert page.locator("#notice").inner_text() == "تم إرسال طلب اللقاء."
        flow = page.locator(".meeting-request").first
        assert flow.get_attribute("data-state") == "requested"
        mr = flow.get_attribute("data-id")
        # the buyer answers from its own page
        buyer = browser.new_context(locale="fr-FR").new_page()
        sign_in(buyer, live_server, keys["buyer"], "fr")
        buyer.goto(f"{live_server}/agenda?lang=fr")
        item = buyer.locator(f".meeting-request[data-id='{mr}']")
        item.locator("textarea").fill("Avec plaisir")
        item.locator("button[value=yes]").click()
        buyer.wait_for_selector("#notice")
        assert buyer.locator(f".meeting-request[data-id='{mr}']").get_attribute("data-state") == "accepted"
        # a plan: the accepted request is a must-meet on the supplier's agenda
        fair = FairDefinition.model_validate({
            "name": "Salon test", "tables": 2, "days": [{"date": "2027-04-20", "start": "09:00", "slot_minutes": 30,
                                                         "slots": 3}],
            "limits": {"min_meetings_per_supplier": 0, "min_meetings_per_buyer": 0},
            "buyers": [{"request_id": rid}], "suppliers": [{"supplier_id": "BAT-002"}]})
        fed, _ = with_meeting_requests(store, fair)
        plan_id = save_plan(store, fed, plan_fair(engine, fed, 5.0))
        page.goto(f"{live_server}/supplier?lang=ar")
        meeting = page.locator(".agenda-meeting").first
        assert "Maison Aurès" in meeting.inner_text()  # the counterpart, once the meeting is planned
        assert page.locator("#ics-link").get_attribute("href").endswith(f"/agenda/{plan_id}.ics")
        meeting.locator("select").select_option("follow_up")
        meeting.locator("button").click()
        page.wait_for_selector("#notice")
        assert store.side_outcomes(plan_id)[(meeting.get_attribute("data-meeting"), "supplier")][0] == "follow_up"
        # profile: a bad value is shown beside its field, nothing written; then a good one is saved
        before = store.get_supplier("BAT-002")
        page.fill("#p-price_min_eur", "900")
        page.fill("#p-price_max_eur", "10")
        page.click("#save-profile")
        page.wait_for_selector("#p-price_max_eur-error")
        assert _arabic(page.locator("#p-price_max_eur-error").inner_text())
        assert store.get_supplier("BAT-002") == before
        page.goto(f"{live_server}/supplier?lang=ar")
        page.fill("#p-lead_time_days", "21")
        page.click("#save-profile")
        page.wait_for_selector("#notice")
        assert store.get_supplier("BAT-002").lead_time_days == 21
        assert store.audit_entries("supplier", "BAT-002")[0]["detail"] == "fields: lead_time_days"
        # focus is visible (the outline is drawn on keyboard focus)
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
    finally:
        context.close()


def test_team_sees_the_flows_and_overrides(page, live_server, keys, client, app):
    rid = client.post("/api/v1/requests", json=REQUEST, headers=auth(keys["buyer"])).json["request"]["request_id"]
    mr = client.post("/api/v1/meeting-requests", json={"request_id": rid, "supplier_id": "BAT-002"},
                     headers=auth(keys["buyer"])).json["meeting_request_id"]
    sign_in(page, live_server, keys["team"], "en")
    page.click("#meetings-link")
    row = page.locator(f"tr.flow[data-id='{mr}']")
    assert "Waiting for an answer" in row.inner_text()
    row.locator("select").select_option("do_not_meet")
    row.locator("button").click()
    page.wait_for_selector("#notice")
    assert engine_of(app).store.get_meeting_request(mr)["override"] == "do_not_meet"
    assert page.title() == "Meeting requests and e-mails · " + page.title().split(" · ")[1]
