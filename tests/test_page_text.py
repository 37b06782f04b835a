"""French and Arabic pages say everything in French and Arabic; titles, skip link, focus, phones, bars."""

import re

import pytest

from matcher import i18n
from tests.a11y import PHONE, checked_page, english_left
from tests.browser import sign_in
from tests.conftest import DATA, engine_of

REQUESTS = {"fr": "Bracelets berbères en argent émaillé pour une boutique de musée, 120 pièces",
            "ar": "نبحث عن أساور من الفضة الشاوية، 120 قطعة"}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_no_english_left_on_french_and_arabic_pages(browser, live_server, keys, app, lang):
    engine_of(app).import_file(DATA / "requests.jsonl", "request")
    page = checked_page(browser)
    left: dict[str, list[str]] = {}

    def scan(where):
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("html").get_attribute("dir") == i18n.direction(lang)
        if found := english_left(page, lang):
            left[where] = found

    page.goto(f"{live_server}/login?lang={lang}")
    scan("login")
    page.fill("#key", "wrong")
    page.click("button[type=submit]")
    scan("login error")
    sign_in(page, live_server, keys["buyer"], lang)
    scan("buyer")
    page.fill("#quantity", "-3")
    page.click("#submit")
    scan("buyer errors")
    page.fill("#description", REQUESTS[lang])
    page.fill("#quantity", "120")
    page.click("#submit")
    page.wait_for_selector("#results")
    scan("buyer results")
    page.goto(f"{live_server}/team")
    scan("forbidden")
    page.goto(f"{live_server}/nowhere")
    scan("404")
    page.context.close()
    page = checked_page(browser)
    sign_in(page, live_server, keys["team"], lang)
    page.goto(f"{live_server}/team?shortlist=1&top_k=3")
    scan("team")
    page.goto(f"{live_server}/team/fairs/new")
    page.click("#check-definition")
    scan("fair editor")
    page.goto(f"{live_server}/team")
    page.set_input_files("#fair-file", str(DATA / "fair" / "batna-constantine-2027.yaml"))
    page.click("#fair-form button")
    page.wait_for_selector("#meetings", timeout=60_000)
    scan("fair plan")
    page.goto(f"{live_server}/team/market")
    scan("market")
    page.context.close()
    assert left == {}


def test_titles_skip_link_focus_and_results_first_on_a_phone(browser, live_server, keys):
    page = checked_page(browser)
    page.goto(f"{live_server}/login?lang=en")
    titles = {"login": page.title()}
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("document.activeElement.textContent") == "Skip to the main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    sign_in(page, live_server, keys["buyer"])
    titles["buyer"] = page.title()
    page.set_viewport_size(PHONE)
    page.fill("#quantity", "-3")
    page.click("#submit")
    page.wait_for_selector("#form-error")  # the page's script moves focus once it has loaded
    page.wait_for_function("document.activeElement && document.activeElement.id === 'form-error'",
                           timeout=5000)  # the errors are read first (times out, and fails, otherwise)
    page.fill("#description", "hammered copper trays for a hotel")
    page.fill("#quantity", "200")
    page.click("#submit")
    page.wait_for_selector("#results")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'results'", timeout=5000)
    top = page.locator("#results").bounding_box()["y"]
    assert 0 <= top < PHONE["height"] / 4  # on a phone the results come first, not 1 325 px below
    titles["results"] = page.title()
    bars = page.locator("li.match").first.locator(".factors tr")
    for i in range(bars.count()):  # a bar is the factor's own score (0-1), the figure beside it score x weight
        row = bars.nth(i)
        width = float(row.locator(".bar span").evaluate("e => e.style.width")[:-1])
        score = float(re.match(r"([\d.]+) ×", row.locator("td.num").inner_text()).group(1))
        assert width == pytest.approx(score * 100, abs=0.6)
        assert row.locator(".bar").get_attribute("aria-label") == f"match {score:.2f} of 1"
    assert page.locator("#factor-legend").inner_text().startswith("Each bar shows how well the supplier matches")
    page.goto(f"{live_server}/team")
    titles["forbidden"] = page.title()
    page.goto(f"{live_server}/nowhere")
    titles["404"] = page.title()
    assert page.locator("#page-error").inner_text() == "There is no page at this address."
    page.context.close()
    team = checked_page(browser)
    sign_in(team, live_server, keys["team"])
    titles["team"] = team.title()
    team.goto(f"{live_server}/team/market")
    titles["market"] = team.title()
    team.goto(f"{live_server}/team/fairs/new")
    titles["editor"] = team.title()
    assert len(set(titles.values())) == len(titles), titles
    assert titles["results"] == "Ranked suppliers · Sourcing request · Artisan sourcing"
