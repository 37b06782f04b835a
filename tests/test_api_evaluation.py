"""GET /api/v1/evaluation: in-sample warning, judged-only figures, profile versions."""

from tests.conftest import auth
from tests.test_api import evaluated


def test_evaluation_of_a_profile_tuned_on_the_same_judgments_says_so(client, keys, app, tmp_path, monkeypatch):
    import shutil

    from matcher.evaluation.data import load_qrels
    from matcher.evaluation.runs import load_context
    from matcher.evaluation.tuning import tune
    from matcher.io.importer import load_requests
    from matcher.profiles import save_profile
    from tests.conftest import DATA, ROOT, engine_of

    h = auth(keys["evaluator"])
    default = evaluated(client, h).json
    assert default["in_sample"] is None
    assert default["judgments"]["dropped_request_ids"] == [] and default["judgments"]["conflicts_resolved"] == []
    assert default["top10_rows"] == 300 and 0 < default["unjudged_share"] < 1
    assert {"ndcg10_judged", "bpref"} <= set(default["summary"])
    models = tmp_path / "models" / "profiles"  # tune a profile on the server's own judgments
    models.mkdir(parents=True)
    shutil.copy(ROOT / "models" / "profiles" / "default.json", models)
    monkeypatch.setenv("MATCHER_MODELS", str(tmp_path / "models"))
    engine = engine_of(app)
    requests = load_requests(DATA / "requests.jsonl")
    ctx = load_context(engine, requests, load_qrels(DATA / "eval" / "qrels.tsv"))
    save_profile(tune(engine, requests, ctx, "tuned", k=3, n_candidates=40).profile)
    tuned = evaluated(client, h, "?profile=tuned@1").json
    warning = tuned["in_sample"]
    assert tuned["profile"] == "tuned@1" and warning["same_data_hash"] and warning["profile"] == "tuned@1"
    assert warning["in_sample_ndcg10"] == round(tuned["summary"]["ndcg10"], 4)
    assert warning["message"].startswith("IN-SAMPLE: profile tuned@1 was tuned on these very judgments")
    assert warning["held_out_text"] in warning["message"] and warning["held_out"]


def test_profile_versions_are_selectable_and_documented(client, keys):
    h = auth(keys["evaluator"])
    bad = client.get("/api/v1/evaluation?profile=tuned@99", headers=h)
    assert bad.status_code == 422 and bad.json["message"].startswith("no weight profile named 'tuned@99' (known: ")
    spec = client.get("/api/v1/openapi.json").json
    params = spec["paths"]["/api/v1/evaluation"]["get"]["parameters"]
    enum = next(p for p in params if p["name"] == "profile")["schema"]
    names = enum.get("enum") or next(s for s in enum["anyOf"] if "enum" in s)["enum"]
    assert {"default", "default@1", "tuned", "tuned@1"} <= set(names)
