"""Imports that forgive and explain: headings in French and Arabic, country names, units, dates,
separators, likely duplicates, terms reported once, and rejected rows handed back as a file."""

import csv
import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from matcher.errors import FileFormatError
from matcher.io.importer import import_file
from matcher.io.rejects import write_rejects

from .conftest import DATA, write

FRENCH = ("Identifiant;Nom de l'atelier;Pays;Région;Présentation;Produits;Capacité mensuelle;Délai (jours);"
          "Prix max;Certificats;Marchés export;Notes agent")


def texts(problems):
    return [str(p) for p in problems]


def test_french_headings_country_names_and_units_are_read_and_said(store, tmp_path):
    path = write(tmp_path, "fr.csv", "\n".join([
        FRENCH,
        "FR-1;Atelier Ifri;Algérie;Batna;Bijoux en argent;bagues;1 200 pièces/mois;6 semaines;3 000 DA;WTFO;"
        "France, Belgique;vu",
        "FR-2;Atelier Deux;الجزائر;Batna;Bijoux;\"bagues; colliers\";40;45;12,5 €;WTFO;Tunisie;",
        "FR-3;Atelier Trois;Algeria;Batna;Bijoux;bagues;200 pcs;2 mois;;;;",
    ]))
    report = import_file(store, path, "supplier")
    assert report.rejected == [] and report.ids == ["FR-1", "FR-2", "FR-3"]
    assert report.renamed_columns["Capacité mensuelle"] == "monthly_capacity"
    assert report.renamed_columns["Délai (jours)"] == "lead_time_days" and report.extra_columns == ["Notes agent"]
    assert texts(report.warnings) == [
        "fr.csv, row 2: field 'country': 'Algérie' read as DZ",
        "fr.csv, row 2: field 'monthly_capacity': units removed ('pièces/mois'), e.g. '1 200 pièces/mois' read as "
        "1 200",
        "fr.csv, row 2: field 'lead_time_days': durations in 'semaines' read as days, e.g. '6 semaines' as 42",
        "fr.csv, row 2: field 'price_max_eur': amounts in DZD converted to euros at the rate of 2026-11-02, e.g. "
        "'3 000 DA' read as €20.7",
        "fr.csv, row 2: field 'export_markets': 'France' read as FR",
        "fr.csv, row 2: field 'export_markets': 'Belgique' read as BE",
        "fr.csv, rows 2, 3: field 'certifications': 'WTFO' is not a known certification; kept as written; "
        "did you mean: WFTO Guaranteed Fair Trade?",
        "fr.csv, row 3: field 'country': 'الجزائر' read as DZ",
        "fr.csv, row 3: field 'price_max_eur': units removed ('€'), e.g. '12,5 €' read as 12.5",
        "fr.csv, row 3: field 'export_markets': 'Tunisie' read as TN",
        "fr.csv, row 4: field 'country': 'Algeria' read as DZ",
        "fr.csv, row 4: field 'monthly_capacity': units removed ('pcs'), e.g. '200 pcs' read as 200",
        "fr.csv, row 4: field 'lead_time_days': durations in 'mois' read as days, e.g. '2 mois' as 60",
    ]
    first = store.get_supplier("FR-1")
    assert (first.country, first.monthly_capacity, first.lead_time_days, first.price_max_eur) == ("DZ", 1200, 42, 20.7)
    assert first.export_markets == ["FR", "BE"] and first.extra == {"notes agent": "vu"}
    third = store.get_supplier("FR-3")
    assert (third.monthly_capacity, third.lead_time_days) == (200, 60)


def test_arabic_headings(store, tmp_path):
    path = write(tmp_path, "ar.csv", "المعرف,اسم الورشة,البلد,الوصف,المنتجات,الطاقة الشهرية,مدة التسليم (أيام)\n"
                                     "AR-1,ورشة النحاس,الجزائر,صواني نحاس,صينية,50,30\n")
    report = import_file(store, path, "supplier")
    assert report.ids == ["AR-1"] and store.get_supplier("AR-1").lead_time_days == 30


def test_a_misspelt_or_unknown_contract_column_is_refused_with_did_you_mean(store, tmp_path):
    path = write(tmp_path, "r.csv", "buyer_name,description,max_price\nBoutique,bagues en argent,20\n")
    with pytest.raises(FileFormatError) as info:
        import_file(store, path, "request")
    assert str(info.value) == (
        "r.csv: column 'max_price' is not a field of this sheet; did you mean 'max_unit_price_eur'? Rename it "
        "(or start its heading with 'note' to keep it as an extra column)")
    typo = write(tmp_path, "s.csv", "supplier_id,name,country,description,products,monthly_capacty,lead_time_days\n"
                                    "S1,A,DZ,d,bagues,10,30\n")
    with pytest.raises(FileFormatError) as info:
        import_file(store, typo, "supplier")
    assert str(info.value) == (
        "s.csv: column 'monthly_capacty' is not a field of this sheet; did you mean 'monthly_capacity'? Rename it "
        "(or start its heading with 'note' to keep it as an extra column); missing required column(s): "
        "monthly_capacity (or 'capacité mensuelle')")
    kept = write(tmp_path, "n.csv", "buyer_name,description,note max_price\nBoutique,bagues en argent,20\n")
    report = import_file(store, kept, "request")
    assert report.extra_columns == ["note max_price"] and report.rejected == []


def test_a_value_that_cannot_be_read_is_quoted_as_the_cell_holds_it(store, tmp_path):
    path = write(tmp_path, "s.csv", "supplier_id,name,country,description,products,monthly_capacity,lead_time_days\n"
                                    "S1,A,Atlantide,d,bagues,1 200 kg/mois,6 lunes\n")
    report = import_file(store, path, "supplier")
    assert texts(report.rejected) == [
        "s.csv, row 2: field 'country': 'Atlantide' is not an ISO 3166-1 alpha-2 country code (e.g. DZ, TN, FR)",
        "s.csv, row 2: field 'monthly_capacity': must be a whole number (got '1 200 kg/mois')",
        "s.csv, row 2: field 'lead_time_days': must be a whole number (got '6 lunes')",
    ]


def test_an_excel_date_cell_is_explained(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["supplier_id", "name", "country", "description", "products", "monthly_capacity", "lead_time_days",
               "visited"])
    ws.append(["S1", "A", "DZ", "d", "bagues", dt.datetime(2026, 1, 14), 30, dt.datetime(2026, 3, 2)])
    ws.append(["S2", "B", "DZ", "d", "bagues", 10, 30, dt.datetime(2026, 3, 2)])
    wb.save(tmp_path / "d.xlsx")
    report = import_file(store, tmp_path / "d.xlsx", "supplier")
    assert texts(report.rejected) == [
        "d.xlsx, row 2: field 'monthly_capacity': the cell holds a date (2026-01-14): the spreadsheet turned what "
        "was typed into a date; format the column as Text or Number and type the value again"]
    assert store.get_supplier("S2").extra == {"visited": "2026-03-02"}


def test_unquoted_lists_in_a_semicolon_csv_are_diagnosed_once(store, tmp_path):
    path = write(tmp_path, "shift.csv", "\n".join([
        "supplier_id;name;country;description;products;monthly_capacity;lead_time_days;materials",
        "S1;A;DZ;d;bagues; colliers;40;30;argent",
        "S2;B;DZ;d;bagues;40;30;argent; corail",
        "S3;C;DZ;d;bagues;40;30;argent",
    ]))
    report = import_file(store, path, "supplier")
    assert report.ids == ["S3"]
    assert texts(report.rejected) == [
        "shift.csv: 2 row(s) have more cells than the header's 8 columns (rows 2, 3): cells are separated by ';', "
        "and so are the items of the list columns (products, materials); put each list cell in double quotes "
        "(\"bagues; colliers\"), or save the sheet as CSV again from the spreadsheet program, which quotes them",
        "shift.csv, row 2: has 9 cells but the header has 8 columns",
        "shift.csv, row 3: has 9 cells but the header has 8 columns",
    ]


def test_a_workshop_entered_again_under_a_new_id_is_flagged(store, tmp_path):
    import_file(store, DATA / "suppliers.csv", "supplier")
    path = write(tmp_path, "again.csv", "\n".join([
        "supplier_id,name,country,region,description,products,monthly_capacity,lead_time_days",
        "BAT-101,Atelier Tafsout,DZ,Arris,Fibules en argent,fibules,40,30",
        "BAT-102,Atelier Tafsut,DZ,Oran,Fibules en argent,fibules,40,30",
        "CST-101,Dinanderie Sidi Rachid,DZ,Constantine,Plateaux,plateaux,40,30",
        "CST-102,Dinanderie Sidi Rachid,DZ,Constantine,Plateaux,plateaux,40,30",
    ]))
    report = import_file(store, path, "supplier")
    assert texts(report.warnings) == [
        "again.csv, row 2: field 'name': 'Atelier Tafsout' (BAT-101) looks like 'Atelier Tafsut', already stored as "
        "BAT-001 in the same region (names 92% alike); if it is the same workshop, import it as BAT-001",
        "again.csv, row 4: field 'name': 'Dinanderie Sidi Rachid' (CST-101) looks like 'Dinanderie Sidi Rached', "
        "already stored as CST-001 in the same region (names 90% alike); if it is the same workshop, import it as "
        "CST-001",
        "again.csv, row 5: field 'name': 'Dinanderie Sidi Rachid' (CST-102) looks like 'Dinanderie Sidi Rached', "
        "already stored as CST-001 in the same region (names 90% alike); if it is the same workshop, import it as "
        "CST-001",
    ]
    assert report.inserted == 4  # flagged, not refused: the officer decides


def test_unknown_terms_are_reported_once_with_their_rows(store, tmp_path):
    rows = [f"S{i},A{i},DZ,d,bagues,10,30,,,Label Maison; ISO 9010" for i in range(1, 12)]
    path = write(tmp_path, "t.csv", "\n".join([
        "supplier_id,name,country,description,products,monthly_capacity,lead_time_days,price_min_eur,price_max_eur,"
        "certifications", *rows]))
    report = import_file(store, path, "supplier")
    assert texts(report.warnings) == [
        "t.csv, rows 2, 3, 4, 5, 6, 7, 8, 9 and 3 more: field 'certifications': 'Label Maison' is not a known "
        "certification; kept as written",
        "t.csv, rows 2, 3, 4, 5, 6, 7, 8, 9 and 3 more: field 'certifications': 'ISO 9010' is not a known "
        "certification; kept as written; did you mean: ISO 9001 quality management, ISO 14001 environmental "
        "management?",
    ]
    assert report.warnings[0].rows == list(range(2, 13))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_rejected_rows_are_written_back_ready_to_fix_and_import_again(store, tmp_path, suffix):
    path = write(tmp_path, "fr.csv", "\n".join([
        FRENCH,
        "FR-1;Atelier Un;DZ;Batna;Bijoux;bagues;-3;30;;;;a",
        "FR-2;Atelier Deux;DZ;Batna;Bijoux;bagues;40;30;;;;b",
        "FR-3;Atelier Trois;Atlantide;Batna;Bijoux;bagues;dix;30;;;;c",
    ]))
    report = import_file(store, path, "supplier")
    out = write_rejects(report, tmp_path / f"rejects.{suffix}")
    if suffix == "csv":
        rows = list(csv.reader(out.read_text("utf-8-sig").splitlines(), delimiter=";"))
    else:
        rows = [["" if v is None else str(v) for v in r] for r in load_workbook(out).active.iter_rows(values_only=True)]
    assert rows[0] == [*FRENCH.split(";"), "import_errors"]
    assert rows[1] == ["FR-1", "Atelier Un", "DZ", "Batna", "Bijoux", "bagues", "'-3", "30", "", "", "", "a",
                       "row 2: monthly_capacity: must be >= 0 (got -3)"]
    assert rows[2][-1] == ("row 4: country: 'Atlantide' is not an ISO 3166-1 alpha-2 country code (e.g. DZ, TN, FR) | "
                           "monthly_capacity: must be a whole number (got 'dix')")
    if suffix == "csv":  # the officer fixes the cells and imports the same file again
        fixed = out.read_text("utf-8-sig").replace("'-3", "30").replace("Atlantide", "Algérie").replace("dix", "10")
        again = import_file(store, write(tmp_path, "fixed.csv", fixed), "supplier")
        assert (again.ids, again.rejected, again.extra_columns) == (["FR-1", "FR-3"], [], ["Notes agent"])
        assert store.get_supplier("FR-3").extra == {"notes agent": "c"}
