"""XLSX worksheet names: Excel refuses some characters and names over 31 characters; schemathesis found
a 500 on POST /api/v1/shortlists (format xlsx) whose consortium table is titled "Consortia: …"."""

import io

from openpyxl import load_workbook

from matcher.exports.tabular import Table, sheet_names, to_xlsx


def test_titles_become_valid_distinct_sheet_names():
    assert sheet_names(["Consortia: requests no single workshop can fill", "a/b?c*[d]\\e", "", "x", "X"]) == [
        "Consortia requests no single wo", "a b c d e", "Sheet", "x", "X (2)"]


def test_a_table_titled_with_a_colon_is_written():
    book = load_workbook(io.BytesIO(to_xlsx(Table("Groupements : demandes", ["a"], [[1]]),
                                            Table("Groupements ? demandes", ["b"], [[2]]))))
    assert book.sheetnames == ["Groupements demandes", "Groupements demandes (2)"]
    assert book["Groupements demandes"]["A2"].value == 1 and book["Groupements demandes (2)"]["A2"].value == 2
