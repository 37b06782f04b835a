import json

import pytest
from openpyxl import Workbook

from matcher.errors import FileFormatError, ImportRejected
from matcher.io.importer import import_file

from .conftest import DATA, HEADER, write

ROW_OK = 'S1,Atelier Un,DZ,Bijoux en argent,bagues,100,30,10,20,"poinçon; WFTO"'
ROW_OK2 = "S2,Atelier Deux,TN,Plateaux en cuivre,plateaux,50,20,,,"


def test_sample_suppliers_import_cleanly(store):
    report = import_file(store, DATA / "suppliers.csv", "supplier")
    assert (report.rows, report.inserted, report.updated, report.rejected) == (42, 42, 0, [])
    assert [str(w) for w in report.warnings] == [
        "suppliers.csv, row 25: field 'certifications': 'Label Artisanat d'Art Algérien' is not a known "
        "certification; kept as written"]
    assert store.get_supplier("BAT-005").products == ["أقراط", "خواتم", "قلائد"]
    assert store.get_supplier("BAT-001").extra == {"officer_notes": "visite 03/2026"}


def test_valid_rows_commit_and_every_bad_row_is_reported(store, tmp_path):
    path = write(tmp_path, "sheet.csv", "\n".join([
        HEADER, ROW_OK,
        "S3,Atelier Trois,DZ,Bijoux,bagues,-3,30,,,",
        "S4,Atelier Quatre,DZ,Bijoux,bagues,10,30,50,20,",
        "S1,Doublon,DZ,Bijoux,bagues,10,30,,,",
        "S5,Atelier Cinq,DZ,Bijoux,bagues,dix,30,,,",
        ROW_OK2,
    ]))
    report = import_file(store, path, "supplier")
    assert report.ids == ["S1", "S2"] and report.rejected_rows == [3, 4, 5, 6]
    assert [str(p) for p in report.rejected] == [
        "sheet.csv, row 3: field 'monthly_capacity': must be >= 0 (got -3)",
        "sheet.csv, row 4: field 'price_max_eur': price_min_eur (50) is greater than price_max_eur (20)",
        "sheet.csv, row 5: field 'supplier_id': duplicate supplier_id 'S1' (already on row 2)",
        "sheet.csv, row 6: field 'monthly_capacity': must be a whole number (got 'dix')",
    ]
    assert store.count_suppliers() == 2


def test_strict_mode_writes_nothing(store, tmp_path):
    path = write(tmp_path, "sheet.csv", f"{HEADER}\n{ROW_OK}\nS3,X,DZ,d,bagues,-3,30,,,\n")
    with pytest.raises(ImportRejected) as info:
        import_file(store, path, "supplier", strict=True)
    assert str(info.value) == ("sheet.csv: 1 problem(s); nothing was imported (strict mode)\n"
                               "  sheet.csv, row 3: field 'monthly_capacity': must be >= 0 (got -3)")
    assert store.count_suppliers() == 0


def test_reimport_is_idempotent_and_updates(store, tmp_path):
    path = write(tmp_path, "sheet.csv", f"{HEADER}\n{ROW_OK}\n{ROW_OK2}\n")
    first = import_file(store, path, "supplier")
    version = store.suppliers_version()
    again = import_file(store, path, "supplier")
    assert (first.inserted, first.updated, again.inserted, again.updated, again.unchanged) == (2, 0, 0, 0, 2)
    assert store.suppliers_version() == version  # an unchanged re-import writes nothing
    write(tmp_path, "sheet.csv", f"{HEADER}\n{ROW_OK.replace('100', '150')}\n")
    changed = import_file(store, path, "supplier")
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 0)
    assert store.get_supplier("S1").monthly_capacity == 150 and store.count_suppliers() == 2


def test_semicolon_delimited_csv_from_french_excel(store, tmp_path):
    header = HEADER.replace(",", ";")
    path = write(tmp_path, "fr.csv", f'{header}\nS1;Atelier;DZ;Bijoux;"bagues; colliers";100;30;12,5;20;\n')
    import_file(store, path, "supplier")
    s = store.get_supplier("S1")
    assert s.products == ["bagues", "colliers"] and s.price_min_eur == 12.5


@pytest.mark.parametrize("content,message", [
    (b"", "e.csv: is empty"),
    (b"   \n\n", "e.csv: is empty"),
    (HEADER.encode(), "e.csv: has a header but no data rows"),
    (b"supplier_id,name,country\nS1,A,DZ\n",
     "e.csv: missing required column(s): description (or 'présentation'), products (or 'produits'), "
     "monthly_capacity (or 'capacité mensuelle'), lead_time_days (or 'délai (jours)')"),
    (b"supplier_id,name,name,country,description,products,monthly_capacity,lead_time_days\n1,2,3\n",
     "e.csv: column 'name' appears twice in the header"),
    (b"supplier_id,Nom,name,country,description,products,monthly_capacity,lead_time_days\n1,2,3\n",
     "e.csv: columns 'Nom' and 'name' both mean 'name'; keep one"),
    (f"{HEADER}\nS1,Poinçon".encode("latin-1"),
     "e.csv: is not UTF-8 text (byte 0xe7 on line 2); save it as 'CSV UTF-8' and import again"),
])
def test_unreadable_files(store, tmp_path, content, message):
    path = write(tmp_path, "e.csv", content)
    with pytest.raises(FileFormatError) as info:
        import_file(store, path, "supplier")
    assert str(info.value) == message


def test_other_file_problems(store, tmp_path):
    with pytest.raises(FileFormatError, match=r"^nowhere\.csv: file not found$"):
        import_file(store, "nowhere.csv", "supplier")
    with pytest.raises(FileFormatError, match=r"^s\.txt: unsupported file type '\.txt'; use one of"):
        import_file(store, write(tmp_path, "s.txt", "x"), "supplier")
    with pytest.raises(FileFormatError) as info:
        import_file(store, write(tmp_path, "s.json", "[{"), "supplier")
    assert str(info.value).startswith("s.json: is not valid JSON (line 1, column 3:")
    with pytest.raises(FileFormatError, match=r"^s\.xlsx: is not a readable XLSX workbook"):
        import_file(store, write(tmp_path, "s.xlsx", b"not a zip"), "supplier")


def test_row_with_too_many_cells(store, tmp_path):
    path = write(tmp_path, "s.csv", f"{HEADER}\n{ROW_OK},surplus\n")
    report = import_file(store, path, "supplier")
    assert [str(p) for p in report.rejected] == [
        "s.csv: 1 row(s) have more cells than the header's 10 columns (rows 2): cells are separated by ',', so a cell "
        "holding ',' must be in double quotes; quote those cells, or save the sheet as CSV again from the "
        "spreadsheet program",
        "s.csv, row 2: has 11 cells but the header has 10 columns"]


def test_xlsx_import_keeps_extra_columns(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append([*HEADER.split(","), "Notes agent"])
    ws.append(["S1", "Atelier", "DZ", "Bijoux", "bagues; bracelets", 100, 30, 10.5, 20, "poinçon", "vu en mars"])
    ws.append([None] * 11)  # blank rows are skipped
    ws.append(["S2", "Atelier 2", "DZ", "Bijoux", "bagues", -1, 30, None, None, None, None])
    wb.save(tmp_path / "s.xlsx")
    report = import_file(store, tmp_path / "s.xlsx", "supplier")
    assert report.ids == ["S1"]
    assert [str(p) for p in report.rejected] == ["s.xlsx, row 4: field 'monthly_capacity': must be >= 0 (got -1)"]
    s = store.get_supplier("S1")
    assert s.extra == {"notes agent": "vu en mars"} and s.price_min_eur == 10.5


def test_json_import_rejects_unknown_fields(store, tmp_path):
    good = {"supplier_id": "J1", "name": "A", "country": "MA", "description": "d", "products": ["bagues"],
            "monthly_capacity": 10, "lead_time_days": 5}
    path = write(tmp_path, "s.json", json.dumps({"suppliers": [good, {**good, "supplier_id": "J2", "colour": "x"}]}))
    report = import_file(store, path, "supplier")
    assert report.ids == ["J1"]
    assert [str(p) for p in report.rejected] == ["s.json, row 2: field 'colour': unknown field"]


def test_requests_jsonl_and_csv(store, tmp_path):
    report = import_file(store, DATA / "requests.jsonl", "request")
    assert report.inserted == 32 and report.rejected == []
    path = write(tmp_path, "r.csv", "buyer_name,description,quantity,required_certifications\n"
                                    "Boutique,Bagues en argent,50,poinçon\nBoutique,,0,\n")
    report = import_file(store, path, "request")
    assert len(report.ids) == 1 and report.ids[0].startswith("req-")
    assert [str(p) for p in report.rejected] == ["r.csv, row 3: field 'description': is required",
                                                 "r.csv, row 3: field 'quantity': must be >= 1 (got 0)"]


@pytest.mark.parametrize("name,kind,count", [
    ("suppliers.csv", "supplier", 3), ("suppliers.xlsx", "supplier", 3), ("suppliers.json", "supplier", 1),
    ("request.json", "request", 1), ("requests.csv", "request", 2),
])
def test_documented_example_files_import_cleanly(store, name, kind, count):
    report = import_file(store, DATA / "examples" / name, kind)
    assert (len(report.ids), report.rejected) == (count, [])
