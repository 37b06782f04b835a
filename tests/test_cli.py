import csv
import json

from openpyxl import load_workbook

from matcher_cli import main

from .conftest import DATA, HEADER, write


def test_import_reports_and_exit_codes(cli, tmp_path):
    ok = cli("import", "suppliers", str(DATA / "suppliers.csv"))
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines()[0] == ("suppliers.csv: 42 row(s) read, 42 new, 0 updated, 0 unchanged, "
                                         "0 rejected, 1 warning(s)")
    bad = write(tmp_path, "bad.csv", f"{HEADER}\nS1,A,DZ,d,bagues,-3,30,,,\nS2,B,DZ,d,bagues,3,30,,,\n")
    partial = cli("import", "suppliers", str(bad))
    assert partial.exit_code == 3
    assert partial.output.splitlines() == [
        "bad.csv: 2 row(s) read, 1 new, 0 updated, 0 unchanged, 1 rejected, 0 warning(s)",
        "  rejected: bad.csv, row 2: field 'monthly_capacity': must be >= 0 (got -3)",
    ]
    strict = cli("import", "suppliers", "--strict", str(bad))
    assert strict.exit_code == 1
    assert strict.output.startswith("Error: bad.csv: 1 problem(s); nothing was imported (strict mode)\n")
    missing = cli("import", "suppliers", "nowhere.csv")
    assert (missing.exit_code, missing.output) == (1, "Error: nowhere.csv: file not found\n")
    as_json = json.loads(cli("import", "suppliers", "--json", str(bad)).output)
    assert as_json["rejected_rows"] == [2] and (as_json["updated"], as_json["unchanged"]) == (0, 1)


def test_match_json_output(cli):
    cli("import", "suppliers", str(DATA / "suppliers.csv"))
    req = {"buyer_name": "Shop", "description": "copper lanterns", "products": ["lanterns"], "quantity": 100,
           "required_certifications": ["CE marking"]}
    path = write(cli.dir, "req.json", json.dumps(req))
    result = cli("match", str(path), "--json", "--top-k", "3")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["matches"]
    assert [r["supplier_id"] for r in rows][:1] and all(r["eligible"] for r in rows)
    assert set(rows[0]) >= {"supplier_id", "name", "score", "eligible", "factors", "reasons"}
    assert set(rows[0]["factors"]["product"]) == {"score", "weight", "contribution"}
    text = cli("match", str(path), "--include-ineligible", "--top-k", "5")
    assert "[INELIGIBLE: lacks CE marking]" in text.output


def test_match_shows_what_it_read_and_an_unknown_must_have_with_did_you_mean(cli):
    cli("import", "suppliers", str(DATA / "suppliers.csv"))
    req = {"buyer_name": "Shop", "description": "We need 120 brass lanterns within 8 weeks, under $60 a piece. "
           "CE mandatory.", "required_certifications": ["ISO 9010"]}
    path = write(cli.dir, "req.json", json.dumps(req))
    result = cli("match", str(path), "--top-k", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Language of your request: English (detected)", "Read from your request:"]
    assert "  + 120 units «120 brass lanterns»" in lines
    assert "  + within 56 days «within 8 weeks»" in lines
    assert "  + at most €55.2 per unit «under $60» (60 USD = €55.2 (rate of 2026-11-02))" in lines
    assert "  + CE marking (must-have) «CE»" in lines
    assert ("  ! 'ISO 9010' is not a certificate we know: suppliers are matched by their own text; "
            "did you mean: ISO 9001 quality management, ISO 14001 environmental management?") in lines
    assert "No supplier meets all must-haves (ISO 9010, CE marking)." in result.output
    assert "Missing must-have: ISO 9010 (not in the supplier's text; not a known certificate)" in result.output
    full = json.loads(cli("match", str(path), "--json").output)
    assert full["interpretation"]["terms"][0]["suggestions"][0] == {"id": "iso_9001",
                                                                    "label": "ISO 9001 quality management"}


def test_match_bad_request_names_file_and_field(cli, tmp_path):
    path = write(tmp_path, "req.json", json.dumps({"buyer_name": "B", "description": "x", "quantity": -1}))
    result = cli("match", str(path))
    assert (result.exit_code, result.output) == (1, "Error: req.json, row 1: field 'quantity': must be >= 1 (got -1)\n")


def test_shortlist_exports_are_injection_safe(cli, tmp_path):
    cli("import", "suppliers", str(DATA / "suppliers.csv"))
    evil = {"request_id": "X1", "buyer_name": "=HYPERLINK(\"http://evil\")", "description": "silver earrings",
            "quantity": 10}
    reqs = write(tmp_path, "reqs.jsonl", json.dumps(evil) + "\n")
    for suffix in ("csv", "xlsx", "html"):
        out = tmp_path / f"s.{suffix}"
        result = cli("shortlist", "--requests", str(reqs), "--top-k", "2", "--out", str(out))
        assert result.exit_code == 0, result.output
        files = f"{out}, {tmp_path / 's-suppliers.csv'}" if suffix == "csv" else str(out)
        assert result.output == f"{files}: 1 buyer(s), 0 without a supplier to meet\n"
    rows = list(csv.reader((tmp_path / "s.csv").read_text("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Request", "Buyer", "Buyer's country", "Status"]
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")"
    ws = load_workbook(tmp_path / "s.xlsx")["Per buyer"]
    assert ws["B2"].value == "'=HYPERLINK(\"http://evil\")" and ws["B2"].data_type == "s"
    page = (tmp_path / "s.html").read_text("utf-8")
    assert '<h3 dir="auto">=HYPERLINK(&#34;http://evil&#34;)</h3>' in page and '"http://evil"' not in page
    bad = cli("shortlist", "--requests", str(reqs), "--out", str(tmp_path / "s.pdf"))
    assert bad.output == "Error: s.pdf: shortlist can be written as .csv, .zip, .xlsx or .html, not '.pdf'\n"


def test_shortlist_of_stored_requests_with_a_minimum_score(cli, tmp_path):
    cli("import", "suppliers", str(DATA / "suppliers.csv"))
    none = cli("shortlist", "--out", str(tmp_path / "s.html"))
    assert (none.exit_code, none.output) == (1, "Error: no requests stored: import them first ('matcher import "
                                                "requests FILE') or give --requests FILE\n")
    cli("import", "requests", str(DATA / "requests.jsonl"))
    out = tmp_path / "s.zip"
    result = cli("shortlist", "--out", str(out), "--min-score", "0.5")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{out}: 32 buyer(s), ") and result.output.endswith(" at score 0.5 or more\n")
    import zipfile

    with zipfile.ZipFile(out) as z:
        assert z.namelist()[:2] == ["buyers.csv", "suppliers.csv"]
        buyers = list(csv.DictReader(z.read("buyers.csv").decode("utf-8-sig").splitlines()))
    scores = [float(r["Score"]) for r in buyers if r["Status"] == "to meet"]
    assert scores and min(scores) >= 0.5
    assert {r["Status"] for r in buyers} - {"to meet"}  # buyers left with none get their nearest misses, said so


def test_import_writes_rejected_rows_to_fix(cli, tmp_path):
    bad = write(tmp_path, "bad.csv", f"{HEADER}\nS1,A,DZ,d,bagues,-3,30,,,\nS2,B,Algérie,d,bagues,3,30,,,\n")
    result = cli("import", "suppliers", str(bad), "--rejects", str(tmp_path / "fix.csv"))
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        "bad.csv: 2 row(s) read, 1 new, 0 updated, 0 unchanged, 1 rejected, 1 warning(s)",
        "  rejected: bad.csv, row 2: field 'monthly_capacity': must be >= 0 (got -3)",
        "  warning: bad.csv, row 3: field 'country': 'Algérie' read as DZ",
        f"  1 rejected row(s) written to {tmp_path / 'fix.csv'}: fix them there and import that file again",
    ]
    rows = list(csv.reader((tmp_path / "fix.csv").read_text("utf-8-sig").splitlines()))
    assert rows[0][-1] == "import_errors" and rows[1][0] == "S1"
    wrong = cli("import", "suppliers", str(bad), "--rejects", str(tmp_path / "fix.txt"))
    assert (wrong.exit_code, wrong.output) == (1, "Error: fix.txt: rejected rows can be written as .csv or .xlsx, "
                                                  "not '.txt'\n")


def test_suppliers_list_and_show(cli):
    cli("import", "suppliers", str(DATA / "suppliers.csv"))
    listed = cli("suppliers", "list", "--country", "tn")
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["TN-DJE-01", "TN-NAB-01", "TN-TUN-01"]
    shown = json.loads(cli("suppliers", "show", "BAT-002", "--json").output)
    assert shown["monthly_capacity"] == 800
    missing = cli("suppliers", "show", "NOPE")
    assert (missing.exit_code, missing.output) == (1, "Error: supplier 'NOPE' not found\n")


def test_database_from_environment(runner, tmp_path):
    db = tmp_path / "env.db"
    result = runner.invoke(main, ["--embedder", "hashing", "import", "suppliers", str(DATA / "suppliers.csv")],
                           env={"MATCHER_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert db.exists()
    listed = runner.invoke(main, ["--embedder", "hashing", "suppliers", "list"], env={"MATCHER_DB": str(db)})
    assert len(listed.stdout.splitlines()) == 42


def test_demo_loads_samples_on_first_run_only(cli, tmp_path):
    out = tmp_path / "demo.html"
    first = cli("demo", "--out", str(out))
    assert first.exit_code == 0, first.output
    assert first.output.startswith("first run: suppliers.csv: 42 row(s) read, 42 new")
    assert "== R17 - GoldLine Bridal (Dubai) (AE)" in first.output and out.exists()
    second = cli("demo", "--out", str(out))
    assert "first run" not in second.output


def test_every_command_and_option_has_a_help_text():
    import click

    from matcher_cli import main

    def walk(command, path):
        yield path, command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])

    for path, command in walk(main, ["matcher"]):
        assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
        for param in command.params:
            if isinstance(param, click.Option):
                assert (param.help or "").strip(), f"{' '.join(path)} {param.opts[0]} has no help text"
