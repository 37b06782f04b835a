"""`matcher evaluate`, `compare` and `tune` through the real command line (hashing embedder)."""

import json
import shlex
import shutil

import pytest

from tests.conftest import DATA, ROOT, write


@pytest.fixture
def loaded(cli):
    assert cli("import", "suppliers", str(DATA / "suppliers.csv")).exit_code == 0
    return cli


def test_evaluate_json_and_weights(loaded):
    data = json.loads(loaded("evaluate", "--json").output)
    (full,) = data["systems"]
    assert len(full["ci"]["ndcg10"]) == 2 and full["violations"] == 0
    assert (full["no_match_answered"], full["no_match_total"]) == (2, 2)
    ablation = json.loads(loaded("evaluate", "--json", "--weights", "semantic=1").output)["systems"][0]
    assert ablation["summary"]["ndcg10"] != full["summary"]["ndcg10"]
    bad = loaded("evaluate", "--weights", "colour=1")
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: --weights: unknown factor(s) colour; known: semantic, product,")


def test_evaluate_with_baselines_writes_report_and_run(loaded, tmp_path):
    report, run = tmp_path / "r.html", tmp_path / "full.tsv"
    result = loaded("evaluate", "--baselines", "--report", str(report), "--save-run", str(run), "--per-request")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("R01\tfr\tretailer\t") and any(line.startswith("random ") for line in lines)
    assert any(line.startswith("lexical TF-IDF") for line in lines)
    assert "<svg" in report.read_text("utf-8")
    assert run.read_text("utf-8").startswith("request_id\tsupplier_id\trank\tscore\teligible\nR01\t")


def test_saved_runs_can_be_evaluated_and_compared(loaded, tmp_path):
    full, sem = tmp_path / "full.tsv", tmp_path / "sem.tsv"
    loaded("evaluate", "--save-run", str(full))
    loaded("evaluate", "--weights", "semantic=1", "--save-run", str(sem))
    again = json.loads(loaded("evaluate", "--json", "--run", str(full)).output)["systems"][0]
    direct = json.loads(loaded("evaluate", "--json").output)["systems"][0]
    assert again["summary"] == direct["summary"] and again["no_match_answered"] == 2
    result = loaded("compare", str(full), str(sem))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("A = full, B = sem, 30 judged requests in both\nndcg5   A ")
    rows = json.loads(loaded("compare", str(full), str(sem), "--json").output)
    assert [r["metric"] for r in rows] == ["ndcg5", "ndcg10", "p5", "r10", "rr", "ap"]
    assert all(0 < r["p_value"] <= 1 for r in rows)


def test_tune_saves_a_profile_that_match_can_select(loaded, tmp_path, monkeypatch):
    models = tmp_path / "models" / "profiles"
    models.mkdir(parents=True)
    shutil.copy(ROOT / "models" / "profiles" / "default.json", models)
    monkeypatch.setenv("MATCHER_MODELS", str(tmp_path / "models"))
    result = loaded("tune", "--name", "fair-2027", "--folds", "3", "--candidates", "60", "--repeats", "2")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("held-out scores, twin-grouped 3-fold cross-validation (fold seed 0) over 30 "
                                    "judged requests:")
    assert "tuned (held-out)" in result.output and "saved fair-2027 v1 to" in result.output
    assert "held-out nDCG@10 over 2 repetitions of twin-grouped 3-fold CV: mean " in result.output
    saved = json.loads((tmp_path / "models" / "profiles" / "fair-2027.json").read_text("utf-8"))
    assert saved["meta"]["command"] == shlex.join(["matcher", "--db", str(loaded.db), "--embedder", "hashing", "tune",
                                                   "--name", "fair-2027", "--folds", "3", "--candidates", "60",
                                                   "--repeats", "2"])
    request = write(tmp_path, "r.json", json.dumps({"buyer_name": "B", "description": "silver fibulae",
                                                    "products": ["fibulae"], "quantity": 50}))
    matched = loaded("--profile", "fair-2027", "match", str(request), "--json")
    assert matched.exit_code == 0, matched.output
    assert json.loads(matched.stdout)["matches"][0]["rank"] == 1


def test_tune_refuses_more_folds_than_requests(loaded, tmp_path):
    one = write(tmp_path, "q.tsv", "request_id\tsupplier_id\tgrade\nR01\tBAT-001\t3\n")
    result = loaded("tune", "--qrels", str(one), "--folds", "3", "--dry-run")
    assert result.exit_code == 1
    assert result.output == "Error: --folds 3: only 1 judged request(s) in 1 twin group(s)\n"


def test_evaluate_reports_bad_judgment_files(loaded, tmp_path):
    bad = write(tmp_path, "q.tsv", "request\tsupplier\tgrade\n")
    result = loaded("evaluate", "--qrels", str(bad))
    assert result.exit_code == 1
    assert result.output == "Error: q.tsv: header must be: request_id<TAB>supplier_id<TAB>grade\n"
