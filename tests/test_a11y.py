"""Every page, at a desktop size and at 375 x 812, has no axe-core WCAG 2.2 AA violation (tests/a11y.py)."""

import json

from tests.a11y import DESKTOP, PHONE, checked_page, violations
from tests.browser import sign_in
from tests.conftest import DATA, HEADER, engine_of

SHEET = HEADER + "\nNEW-1,Atelier Neuf,DZ,plateaux,trays,10,20,5,9,\nNEW-2,Atelier Deux,DZ,lampes,lamps,many,20,5,9,\n"


def _check(page, where: str, found: dict) -> None:
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        for v in violations(page):
            found.setdefault(f"{where} {size['width']}", []).append(v)
    page.set_viewport_size(DESKTOP)


def test_every_page_passes_axe_at_desktop_and_phone(browser, live_server, keys, app, tmp_path, cli):
    engine_of(app).import_file(DATA / "requests.jsonl", "request")
    page = checked_page(browser)
    found: dict = {}
    page.goto(f"{live_server}/login?lang=en")
    _check(page, "login", found)
    page.fill("#key", "wrong")
    page.click("button[type=submit]")
    _check(page, "login error", found)
    sign_in(page, live_server, keys["buyer"])
    _check(page, "buyer", found)
    page.fill("#quantity", "-3")
    page.click("#submit")
    _check(page, "buyer errors", found)
    page.fill("#description", "Bracelets berbères en argent émaillé")
    page.fill("#quantity", "120")
    page.click("#submit")
    page.wait_for_selector("#results")
    _check(page, "buyer results", found)
    page.goto(f"{live_server}/team")
    _check(page, "forbidden", found)
    page.goto(f"{live_server}/no-such-page")
    _check(page, "404", found)
    team = checked_page(browser)
    sign_in(team, live_server, keys["team"])
    sheet = tmp_path / "new.csv"
    sheet.write_text(SHEET, "utf-8")
    team.set_input_files("#file", str(sheet))
    team.click("#upload-form button")
    team.wait_for_selector("#import-report")
    _check(team, "team import", found)
    team.goto(f"{live_server}/team?shortlist=1&top_k=3")
    _check(team, "team shortlist", found)
    with team.expect_download() as download:
        team.click("button[value=html]")
    download.value.save_as(tmp_path / "shortlist.html")
    team.goto(f"file://{tmp_path / 'shortlist.html'}")
    _check(team, "shortlist html", found)
    team.goto(f"{live_server}/team/fairs/new")
    team.fill("#tables", "0")
    team.click("#check-definition")
    _check(team, "fair editor errors", found)
    team.goto(f"{live_server}/team")
    team.set_input_files("#fair-file", str(DATA / "fair" / "batna-constantine-2027.yaml"))
    team.click("#fair-form button")
    team.wait_for_selector("#meetings", timeout=60_000)
    _check(team, "fair plan", found)
    plan_url = team.url
    for name in ("grid.html", "agendas.html"):
        with team.expect_download() as download:
            team.click(f"text={name}")
        download.value.save_as(tmp_path / name)
        team.goto(f"file://{tmp_path / name}")
        _check(team, name, found)
        team.goto(plan_url)
    team.goto(f"{live_server}/team")
    team.set_input_files("#fair-file", str(DATA / "requests.jsonl"))
    team.click("#fair-form button")
    _check(team, "fair error", found)
    team.goto(f"{live_server}/team/market")
    _check(team, "market", found)
    report = tmp_path / "evaluation.html"
    assert cli("import", "suppliers", str(DATA / "suppliers.csv")).exit_code == 0
    assert cli("evaluate", "--report", str(report)).exit_code == 0
    team.goto(f"file://{report}")
    _check(team, "evaluation report", found)
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
