"""The buyer and team pages in a real headless Chromium (Debian's), driven by Playwright, over HTTP."""

from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from tests.browser import sign_in
from tests.conftest import DATA, HEADER, engine_of


def test_buyer_submits_in_french_and_reads_explained_matches(page, live_server, keys):
    sign_in(page, live_server, keys["buyer"], "fr")
    assert page.url.endswith("/buyer")
    assert page.locator("h1").inner_text() == "Demande de sourcing"
    assert page.locator("label[for=quantity]").inner_text() == "Quantité (pièces)"
    page.fill("#description", "Bracelets berbères en argent émaillé pour une boutique de musée")
    page.fill("#products", "bracelets")
    page.fill("#quantity", "120")
    page.fill("#max_lead_time_days", "60")
    page.fill("#required_certifications", "artisan card")
    page.click("#submit")
    page.wait_for_selector("#results")
    matches = page.locator("li.match")
    assert matches.count() >= 1
    first = matches.first
    assert first.locator("h3").inner_text().startswith("1. ")
    assert first.locator(".bar span").count() >= 3  # one bar per applicable factor
    width = first.locator(".bar span").first.evaluate("e => e.style.width")
    assert width.endswith("%") and float(width[:-1]) > 0
    assert first.locator(".musts li.met").count() == 1
    assert "rempli" in first.locator(".musts li").inner_text()
    reasons = first.locator(".reasons li").all_inner_texts()
    assert any(r.startswith("Commande minimum") for r in reasons)  # the engine's reasons, in French
    assert first.locator(".factors th").first.inner_text() == "Similarité du texte"


def test_bad_input_shows_messages_next_to_fields(page, live_server, keys):
    sign_in(page, live_server, keys["buyer"], "en")
    page.fill("#description", "copper trays")
    page.fill("#quantity", "-3")
    page.fill("#buyer_country", "Atlantis")
    page.click("#submit")
    assert page.locator("#form-error").inner_text() == "Please correct the fields marked below."
    assert page.locator("#quantity-error").inner_text() == "must be >= 1 (got -3)"
    assert page.locator("#buyer_country-error").inner_text() == (
        "'Atlantis' is not an ISO 3166-1 alpha-2 country code (e.g. DZ, TN, FR)")
    assert page.input_value("#description") == "copper trays"  # what the buyer typed is kept
    assert page.locator("#results").count() == 0
    page.goto(f"{live_server}/buyer?lang=fr")
    page.click("#submit")
    assert page.locator("#description-error").inner_text() == "obligatoire"
    page.fill("#description", "plateaux en cuivre martelé")  # no quantity anywhere: said next to the field
    page.click("#submit")
    assert page.locator("#quantity-error").inner_text() == (
        "obligatoire : indiquez le nombre de pièces ici ou dans la description (par ex. « 200 pièces »)")


def test_team_uploads_a_sheet_filters_and_downloads_the_shortlist(page, live_server, keys, tmp_path):
    sheet = tmp_path / "new.csv"
    sheet.write_text(HEADER + "\nNEW-1,Atelier <b>Neuf</b>,DZ,<script>alert('x')</script> plateaux,trays,10,20,5,9,\n"
                     "NEW-2,Atelier Deux,DZ,lampes,lamps,many,20,5,9,\n", "utf-8")
    sign_in(page, live_server, keys["team"])
    assert page.url.endswith("/team")
    page.set_input_files("#file", str(sheet))
    page.click("#upload-form button")
    report = page.locator("#import-report").inner_text()
    assert "new.csv, row 3: field 'monthly_capacity': must be a whole number (got 'many')" in report
    page.fill("input[name=q]", "atelier")
    page.click("#filters button")
    rows = page.locator("#suppliers tr").all_inner_texts()
    assert any("Atelier <b>Neuf</b>" in r for r in rows)  # shown as text, not markup
    assert page.dialogs == []
    buyer = page.context.browser.new_context().new_page()
    sign_in(buyer, live_server, keys["buyer"])
    buyer.fill("#description", "hammered copper trays")
    buyer.fill("#quantity", "10")
    buyer.click("#submit")
    buyer.wait_for_selector("#results")
    page.goto(f"{live_server}/team?shortlist=1&top_k=3")
    assert page.locator("#shortlist tr").count() == 1 + 3
    with page.expect_download() as download:
        page.click("button[value=zip]")
    import zipfile

    with zipfile.ZipFile(download.value.path()) as z:  # one CSV file per table
        assert z.read("buyers.csv").decode("utf-8-sig").startswith("Request,Buyer,Buyer's country,Status")


def test_buyers_cannot_open_the_team_page_and_strangers_must_sign_in(page, live_server, keys):
    page.goto(f"{live_server}/team")
    assert "/login" in page.url
    sign_in(page, live_server, "mk_wrong")
    assert page.locator("#login-error").inner_text() == "Unknown or revoked API key."
    sign_in(page, live_server, keys["buyer"])
    response = page.goto(f"{live_server}/team")
    assert response.status == 403
    assert page.locator(".error").inner_text() == "Your key does not give access to this page."


def test_team_plans_a_fair_and_records_an_outcome(page, live_server, keys, app):
    engine_of(app).import_file(DATA / "requests.jsonl", "request")
    sign_in(page, live_server, keys["team"])
    page.set_input_files("#fair-file", str(DATA / "fair" / "batna-constantine-2027.yaml"))
    page.click("#fair-form button")
    page.wait_for_selector("#meetings")
    assert "/team/fairs/fair-" in page.url
    assert "suppliers below target 0%" in page.locator("#fair-stats").inner_text()
    row = page.locator("#meetings tr[data-meeting=M0001]")
    row.locator("select").select_option("follow_up")
    row.locator("button").click()
    page.wait_for_selector("#meetings tr[data-meeting=M0001] .met")
    assert page.locator("#meetings tr[data-meeting=M0001] select").input_value() == "follow_up"
    with page.expect_download() as download:
        page.click("text=plan.xlsx")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    page.goto(f"{live_server}/team")
    page.set_input_files("#fair-file", str(DATA / "requests.jsonl"))
    page.click("#fair-form button")
    assert page.locator("#fair-error").inner_text() == (
        "requests.jsonl: a fair definition must be .yaml, .yml or .json")


def test_an_import_shows_its_progress_and_disables_the_button_until_done(page, live_server, keys, tmp_path, app):
    from serverkit import sheet

    app.config["MAX_CONTENT_LENGTH"] = 5 * 1024 * 1024
    big = tmp_path / "big.csv"
    big.write_bytes(sheet(3000))
    sign_in(page, live_server, keys["team"])
    page.set_input_files("#file", str(big))
    page.click("#import-button")
    page.wait_for_selector("#job-progress")
    assert "job=" in page.url
    states = {page.locator("#job-state").inner_text()}
    for _ in range(400):  # the page follows the job; the button stays disabled until it is done
        try:  # state and button read together (the page reloads itself when the job ends)
            state, disabled = page.evaluate("() => [document.querySelector('#job-state').innerText, "
                                            "document.querySelector('#import-button').disabled]")
        except PlaywrightError:  # read during that reload
            page.wait_for_timeout(50)
            continue
        if state == "Done":
            break
        states.add(state)
        assert disabled, state
        page.wait_for_timeout(50)
    assert "big.csv: 3000" in page.locator("#import-report").inner_text()
    assert states and states <= {"Waiting to start…", "Running…"}
    assert page.locator("#import-button").is_enabled()


def test_the_team_runs_an_evaluation_and_reads_its_figures(page, live_server, keys):
    sign_in(page, live_server, keys["team"])
    page.click("#evaluation-button")
    page.wait_for_selector("#job-progress")
    page.wait_for_selector("#evaluation-summary", timeout=120_000)  # the page reloads when the job is done
    assert page.locator("#evaluation-summary").inner_text().endswith("30 judged requests")
    assert "ndcg10" in page.locator("#evaluation").inner_text()
    assert page.locator("#evaluation-button").is_enabled()
