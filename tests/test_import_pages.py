"""The team page in headless Chromium: the import report counts rows, hands back the rejected rows
as a file to fix, and the shortlist downloads grouped, with Arabic right to left."""

import csv
import io
import zipfile
from pathlib import Path

from tests.browser import sign_in
from tests.conftest import DATA, engine_of

SHEET = ("Identifiant;Nom de l'atelier;Pays;Présentation;Produits;Capacité mensuelle;Délai (jours)\n"
         "NEW-1;Atelier Neuf;Algérie;Plateaux en cuivre;plateaux;1 200 pièces/mois;6 semaines\n"
         "NEW-2;Atelier Deux;DZ;Lampes;lampes;beaucoup;20\n"
         "NEW-3;Atelier Trois;Atlantide;Lampes;lampes;10;dix jours de plus\n")


def test_import_report_counts_rows_and_downloads_the_rejected_rows(page, live_server, keys, tmp_path):
    sheet = tmp_path / "atelier.csv"
    sheet.write_text(SHEET, "utf-8")
    sign_in(page, live_server, keys["team"])
    page.set_input_files("#file", str(sheet))
    page.click("#upload-form button")
    assert page.locator("#import-summary").inner_text() == (
        "atelier.csv: 3 row(s) read · 1 new · 0 updated · 2 row(s) rejected · 3 note(s)")
    assert "Capacité mensuelle → monthly_capacity" in page.locator("#columns-read").inner_text()
    notes = page.locator("ul.warnings li").all_inner_texts()
    assert notes[1] == ("atelier.csv, row 2: field 'monthly_capacity': units removed ('pièces/mois'), e.g. "
                        "'1 200 pièces/mois' read as 1 200")
    with page.expect_download() as download:
        page.click("#download-rejects")
    assert download.value.suggested_filename == "atelier-rejected.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "import_errors" and [r[0] for r in rows[1:]] == ["NEW-2", "NEW-3"]
    assert rows[1][-1] == "row 3: monthly_capacity: must be a whole number (got 'beaucoup')"
    page.goto(f"{live_server}/team?lang=fr")  # the same upload on a French page: its notes in French
    page.set_input_files("#file", str(sheet))
    page.click("#upload-form button")
    first = page.locator("ul.warnings li").first.inner_text()
    assert first == "atelier.csv, row 2: field 'country': 'Algérie' lu comme DZ"


def test_shortlist_downloads_grouped_with_minimum_score_and_arabic_right_to_left(page, live_server, keys, app,
                                                                                tmp_path):
    engine = engine_of(app)
    engine.import_file(DATA / "requests.jsonl", "request")
    sign_in(page, live_server, keys["team"])
    page.goto(f"{live_server}/team?shortlist=1&top_k=3&min_score=0.4")
    scores = [float(s) for s in page.locator("#shortlist td.num").all_inner_texts() if s]
    assert scores and min(scores) >= 0.4
    with page.expect_download() as download:
        page.click("button[value=zip]")
    with zipfile.ZipFile(download.value.path()) as z:
        buyers = list(csv.DictReader(io.StringIO(z.read("buyers.csv").decode("utf-8-sig"))))
    assert min(float(r["Score"]) for r in buyers if r["Status"] == "to meet") >= 0.4
    with page.expect_download() as download:
        page.click("button[value=html]")
    html = tmp_path / "shortlist.html"
    html.write_bytes(Path(download.value.path()).read_bytes())
    page.goto(html.as_uri())
    assert page.locator("section.buyer").count() == 32
    arabic = page.locator("section.buyer h3", has_text="\u0645").first  # a buyer named in Arabic
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator("section.buyer h3").first.evaluate("e => getComputedStyle(e).direction") == "ltr"
