"""Judgment files combined and checked, in-sample warnings, profile versions and re-runnable tune
commands, through the real command line (hashing embedder)."""

import json
import shlex
import shutil

import pytest

from matcher.evaluation.judgments import shown_path
from matcher_cli import main
from tests.conftest import DATA, ROOT, write

QRELS = str(DATA / "eval" / "qrels.tsv")
TUNE = ("--folds", "3", "--candidates", "60", "--repeats", "2")


@pytest.fixture
def loaded(cli, tmp_path, monkeypatch):
    models = tmp_path / "models" / "profiles"
    models.mkdir(parents=True)
    shutil.copy(ROOT / "models" / "profiles" / "default.json", models)
    monkeypatch.setenv("MATCHER_MODELS", str(tmp_path / "models"))
    assert cli("import", "suppliers", str(DATA / "suppliers.csv")).exit_code == 0
    return cli


def test_conflicting_grades_across_files_are_refused_with_files_rows_and_grades(loaded, tmp_path):
    extra = write(tmp_path, "fair.tsv", "request_id\tsupplier_id\tgrade\nR01\tBAT-010\t2\nR01\tBAT-006\t1\n")
    result = loaded("evaluate", "--qrels", QRELS, "--qrels", str(extra))
    assert result.exit_code == 1
    assert result.output == ("Error: 1 conflicting grade(s): (R01, BAT-006): qrels.tsv row 2 grade 3, fair.tsv row 3 "
                             "grade 1; fix the files or choose a rule: first, last or max\n")
    inside = write(tmp_path, "dup.tsv", "request_id\tsupplier_id\tgrade\nR01\tBAT-006\t3\nR01\tBAT-006\t0\n")
    assert loaded("evaluate", "--qrels", str(inside)).output == (
        "Error: 1 conflicting grade(s): (R01, BAT-006): dup.tsv row 2 grade 3, dup.tsv row 3 grade 0; "
        "fix the files or choose a rule: first, last or max\n")


def test_a_conflict_rule_is_applied_and_reported(loaded, tmp_path):
    extra = write(tmp_path, "fair.tsv", "request_id\tsupplier_id\tgrade\nR01\tBAT-006\t1\n")
    args = ("evaluate", "--qrels", QRELS, "--qrels", str(extra), "--on-conflict")
    last = loaded(*args, "last")
    assert last.exit_code == 0, last.output
    assert last.output.startswith("note [sample]: 1 conflicting grade(s) resolved by rule 'last': (R01, BAT-006): "
                                  "qrels.tsv row 2 grade 3, fair.tsv row 2 grade 1\n")
    first, high = (json.loads(loaded(*args, rule, "--json", "--per-request").output) for rule in ("first", "max"))
    assert first["judgments"]["conflicts_resolved"] == [
        "(R01, BAT-006): qrels.tsv row 2 grade 3, fair.tsv row 2 grade 1"]
    assert first["systems"][0]["summary"] == high["systems"][0]["summary"]  # 3 kept either way
    plain = json.loads(loaded("evaluate", "--json").output)
    assert first["systems"][0]["summary"]["ndcg10"] == plain["systems"][0]["summary"]["ndcg10"]


def test_judgments_for_requests_not_evaluated_are_reported(loaded, tmp_path):
    qrels = write(tmp_path, "q.tsv", "request_id\tsupplier_id\tgrade\nR01\tBAT-006\t3\nR99\tBAT-001\t2\n"
                                     "R99\tBAT-002\t1\nR98\tBAT-003\t1\n")
    result = loaded("evaluate", "--qrels", str(qrels))
    assert result.exit_code == 0, result.output
    shown = shown_path(DATA / "requests.jsonl")  # relative to the working directory when below it
    assert result.output.splitlines()[0] == (f"note [sample]: 3 judgment(s) for 2 request(s) not in {shown} "
                                             "were left out: R98, R99")
    data = json.loads(loaded("evaluate", "--qrels", str(qrels), "--json").output)["judgments"]
    assert (data["dropped_judgments"], data["dropped_request_ids"]) == (3, ["R98", "R99"])


def test_judged_only_metrics_appear_when_top10_rows_are_unjudged(loaded, tmp_path):
    sparse = write(tmp_path, "fair.tsv", "request_id\tsupplier_id\tgrade\nR01\tBAT-006\t3\nR01\tBAT-008\t0\n"
                                         "R05\tCST-011\t2\n")
    result = loaded("evaluate", "--qrels", str(sparse))
    lines = result.output.splitlines()
    assert lines[2].startswith("incomplete judgments: standard metrics above count a top-10 row without a judgment")
    assert lines[4].split()[-6:-4] == ["18/20", "90%"]  # 2 judged requests x 10 rows, 2 of them judged
    system = json.loads(loaded("evaluate", "--qrels", str(sparse), "--json").output)["systems"][0]
    assert (system["unjudged_top10"], system["top10_rows"], system["unjudged_share"]) == (18, 20, 0.9)
    assert {"ndcg10_judged", "bpref"} <= set(system["summary"])


def test_in_sample_evaluation_says_so_with_the_held_out_figure_beside_it(loaded, tmp_path):
    assert loaded("tune", "--name", "t", *TUNE).exit_code == 0
    saved = json.loads((tmp_path / "models" / "profiles" / "t.json").read_text("utf-8"))["meta"]["repeated_cv"]
    result = loaded("--profile", "t", "evaluate", "--report", str(tmp_path / "r.html"))
    in_sample = result.output.splitlines()[1].split()[3]  # the nDCG@10 of the system row
    warning = result.output.splitlines()[-1]
    assert warning == (f"WARNING: IN-SAMPLE: profile t@1 was tuned on these very judgments (same data hash). "
                       f"nDCG@10 {in_sample} here is a training fit, not an estimate; held-out nDCG@10: "
                       f"{saved['ndcg10_mean']:.3f} (sd {saved['ndcg10_std']:.3f}, range {saved['ndcg10_min']:.3f}-"
                       f"{saved['ndcg10_max']:.3f} over 2 repetitions of twin-grouped 3-fold cross-validation).")
    assert 'class="banner"' in (tmp_path / "r.html").read_text("utf-8")
    data = json.loads(loaded("--profile", "t", "evaluate", "--json").output)
    assert data["in_sample"]["same_data_hash"] and data["in_sample"]["held_out"]["repeated_cv"] == saved
    # Part of the same requests, other judgments: overlap, not the same hash.
    part = write(tmp_path, "part.tsv", "request_id\tsupplier_id\tgrade\nR01\tBAT-006\t3\nR05\tCST-011\t3\n")
    overlap = loaded("--profile", "t", "evaluate", "--qrels", str(part)).output.splitlines()[-1]
    assert overlap.startswith("WARNING: IN-SAMPLE: profile t@1 was tuned on 2 of the 2 judged requests evaluated here.")
    # The default profile was tuned on nothing; the noisy subset shares no request with t's tuning set.
    assert "WARNING" not in loaded("evaluate").output
    noisy = json.loads(loaded("--profile", "t", "evaluate", "--json", "--subset",
                              f"noisy={DATA / 'eval' / 'noisy'}").output)["subsets"]
    assert [s["judgments"]["name"] for s in noisy] == ["sample", "noisy"]
    assert noisy[0]["in_sample"] is None and noisy[1]["in_sample"] is None  # main set's warning is top-level


def test_saved_tune_command_reruns_exactly_including_empty_arguments(loaded, tmp_path):
    result = loaded("tune", "--name", "t", "--twins", "", "--no-match", "", *TUNE)
    assert result.exit_code == 0, result.output
    first = json.loads((tmp_path / "models" / "profiles" / "t.json").read_text("utf-8"))
    command = first["meta"]["command"]
    assert command == shlex.join(["matcher", "--db", str(loaded.db), "--embedder", "hashing", "tune", "--name", "t",
                                  "--twins", "", "--no-match", "", *TUNE])
    assert "--twins '' --no-match ''" in command
    argv = shlex.split(command)
    assert argv[0] == "matcher"
    from click.testing import CliRunner

    again = CliRunner().invoke(main, argv[1:])
    assert again.exit_code == 0, again.output
    second = json.loads((tmp_path / "models" / "profiles" / "t.json").read_text("utf-8"))
    assert second["version"] == 2 and second["weights"] == first["weights"]
    assert second["meta"]["command"] == command
    assert second["meta"]["repeated_cv"] == first["meta"]["repeated_cv"]


def test_every_tuned_version_is_kept_selectable_and_can_be_rolled_back(loaded, tmp_path):
    assert loaded("tune", "--name", "t", *TUNE).exit_code == 0
    assert loaded("tune", "--name", "t", "--fairness", "0.5", *TUNE).exit_code == 0
    folder = tmp_path / "models" / "profiles"
    assert sorted(p.name for p in folder.glob("t*.json")) == ["t.json", "t@1.json"]
    listing = loaded("profiles", "list").output.splitlines()
    assert [line.split()[0] for line in listing[1:]] == ["default@1", "t@1", "t@2"]
    assert listing[3].split()[1] == "*" and listing[2].split()[1] != "*"
    one = json.loads(loaded("--profile", "t@1", "evaluate", "--json").output)["systems"][0]["name"]
    assert one.endswith(" t@1")
    shown = json.loads(loaded("profiles", "show", "t@1").output)
    assert shown["version"] == 1 and shown["weights"] == json.loads((folder / "t@1.json").read_text("utf-8"))["weights"]
    rolled = loaded("profiles", "rollback", "t", "--to", "1")
    assert rolled.exit_code == 0, rolled.output
    assert rolled.output.startswith("saved t v3 (the weights of t@1) to ") and rolled.output.endswith(
        "; t now means t@3\n")
    latest = json.loads(loaded("profiles", "show", "t").output)
    assert latest["version"] == 3 and latest["weights"] == shown["weights"]
    assert latest["meta"]["rollback"]["restores"] == "t@1"
    assert "t@3" in loaded("profiles", "list").output and (folder / "t@2.json").is_file()
    bad = loaded("--profile", "t@9", "evaluate")
    assert bad.exit_code == 1 and bad.output == "Error: profile 't' has no version '9' (versions: 1, 2, 3)\n"


def test_subsets_and_label_agreement_side_by_side(loaded):
    result = loaded("evaluate", "--subset", f"noisy={DATA / 'eval' / 'noisy'}",
                    "--preferences", str(DATA / "eval" / "preferences" / "pairs.tsv"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index(next(x for x in lines if x.startswith("judgment sets side by side")))
    rows = [x.split() for x in lines[at + 2:at + 6]]
    assert [r[:4] for r in rows] == [["sample", "read", "32", "30"], ["sample", "off", "32", "30"],
                                     ["noisy", "read", "43", "39"], ["noisy", "off", "43", "39"]]
    # Reading the descriptions makes the prose-only twins meet their field-filled twins' must-haves.
    assert rows[2][-1] == "0" and int(rows[3][-1]) > 0
    assert any(x.startswith("label agreement with ") and "(427 preference pairs; ties 12" in x for x in lines)
    qrels_row = next(x for x in lines if x.startswith("graded qrels vs preferences"))
    assert qrels_row.split()[4:8] == ["415", "222", "4", "189"]
    missing = loaded("evaluate", "--subset", "x=/nonexistent")
    assert missing.exit_code == 1 and missing.output == (
        "Error: /nonexistent: subset 'x': not a folder (expected requests.jsonl, qrels.tsv, twins.tsv, no_match.txt)\n")
