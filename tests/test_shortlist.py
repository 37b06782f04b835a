"""Shortlists people read: grouped by buyer, minimum score, nearest misses, one table per CSV,
XLSX laid out for reading, Arabic right to left."""

import csv
import io
import zipfile

from openpyxl import load_workbook

from matcher.exports.shortlist import build, export, render, with_nearest
from matcher.schema import BuyerRequest

SILVER = BuyerRequest(request_id="R-SILVER", buyer_name="Maison Aurès", buyer_country="FR",
                      description="bracelets en argent", products=["bracelets"], quantity=20)
IMPOSSIBLE = BuyerRequest(request_id="R-ISO", buyer_name="Strict Shop", description="silver bracelets",
                          products=["bracelets"], quantity=20, required_certifications=["ISO 14001"])
ARABIC = BuyerRequest(request_id="R-AR", buyer_name="متجر الدار", language="ar", description="صواني نحاس مطروق",
                      products=["صينية"], quantity=10)


def test_grouped_by_buyer_with_nearest_misses_when_nothing_is_eligible(sample_engine, tmp_path):
    results = with_nearest(sample_engine, sample_engine.match_all([SILVER, IMPOSSIBLE, ARABIC], top_k=3))
    page = render(results, "html").decode("utf-8")
    assert page.count('<section class="buyer"') == 3
    assert '<h3 dir="auto">Maison Aurès</h3>' in page and '<h3 dir="auto">متجر الدار</h3>' in page
    strict = page[page.index('id="buyer-R-ISO"'):page.index('id="buyer-R-AR"')]
    assert "<h4>Nearest misses, with what each lacks</h4>" in strict and strict.count("<tr>") == 1 + 3
    assert "ISO 14001 environmental management" in strict  # what each lacks
    assert "Cuivrerie Moderne" in strict  # has ISO 14001 but makes no bracelets: left out by the engine, shown here
    buyers, suppliers = build(results)
    iso = [r for r in buyers if r["request_id"] == "R-ISO"]
    assert sorted(r["status"] for r in iso) == ["nearest miss: lacks ISO 14001 environmental management"] * 2 + [
        "nearest miss: makes nothing of the requested product family"]
    met = {r["supplier_id"] for r in buyers if r["status"] == "to meet"}
    assert {s["supplier_id"] for s in suppliers} == met  # a nearest miss is no one's meeting
    first = suppliers[0]
    assert first["buyers"].split("; ")[0].split(" (#")[0] in {"Maison Aurès", "متجر الدار"}


def test_minimum_score_cuts_padding_and_says_so(sample_engine):
    results = sample_engine.match_all([SILVER], top_k=5)
    scores = [m.score for m in results[0][1].matches]
    cut = (scores[0] + scores[-1]) / 2
    buyers, _ = build(results, min_score=cut)
    assert [r["score"] for r in buyers] == [round(s, 3) for s in scores if s >= cut]
    page = render(results, "html", min_score=cut).decode("utf-8")
    n_cut = sum(s < cut for s in scores)
    assert f'<p class="cut">{n_cut} supplier(s) scoring below {cut:g} left out</p>' in page
    everything_cut, _ = build(results, min_score=1.0)
    assert {r["status"] for r in everything_cut} == {"below the minimum score 1"}
    assert len(everything_cut) == 3  # the best three, said to be below the minimum


def test_one_table_per_csv_zip_and_readable_xlsx(sample_engine, tmp_path):
    results = sample_engine.match_all([SILVER, ARABIC], top_k=2)
    written = export(results, tmp_path / "list.csv")
    assert [p.name for p in written] == ["list.csv", "list-suppliers.csv"]
    head = next(csv.reader(io.StringIO(written[1].read_text("utf-8-sig"))))
    assert head == ["Supplier id", "Supplier", "Country", "Buyers", "Buyers who want to meet it"]
    with zipfile.ZipFile(io.BytesIO(render(results, "zip"))) as z:
        assert z.namelist() == ["buyers.csv", "suppliers.csv"]
    book = load_workbook(io.BytesIO(render(results, "xlsx", locale="fr")))
    sheet = book["Par acheteur"]
    assert sheet.freeze_panes == "A2" and sheet["B1"].value == "Acheteur"
    assert sheet.column_dimensions["J"].width > 20 and sheet["J2"].alignment.wrap_text


def test_arabic_page_reads_right_to_left(sample_engine):
    page = render(sample_engine.match_all([ARABIC], top_k=2), "html", locale="ar").decode("utf-8")
    assert '<html lang="ar" dir="rtl">' in page and "<h2>حسب المشتري</h2>" in page
    assert '<span dir="auto">صواني نحاس مطروق</span>' in page


def test_sheet_names_drop_what_excel_refuses():
    from matcher.exports.tabular import sheet_names

    assert sheet_names(["Fournisseurs : R01 [argent]/cuivre?"]) == ["Fournisseurs R01 argent cuivre"]
    assert sheet_names([":::"]) == ["Sheet"] and len(sheet_names(["x" * 40])[0]) == 31
