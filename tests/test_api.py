"""The JSON API through Flask's test client: roles, privacy, errors, every endpoint."""

import io
import json

import pytest

from matcher_web.contract import openapi_path
from tests.conftest import auth, engine_of, wait_job

REQUEST = {"buyer_name": "ignored for buyers", "description": "bracelets berbères en argent, émail",
           "products": ["bracelets"], "materials": ["silver"], "quantity": 100, "max_lead_time_days": 60}


def _emails(app) -> set[str]:
    return {s.contact_email for s in engine_of(app).store.suppliers() if s.contact_email}


def _keys_in(obj) -> set[str]:
    if isinstance(obj, dict):
        return set(obj) | {k for v in obj.values() for k in _keys_in(v)}
    if isinstance(obj, list):
        return {k for v in obj for k in _keys_in(v)}
    return set()


def test_no_key_wrong_key_and_revoked_key_are_401(client, keys, app):
    from matcher.keys import create_key, revoke_key

    for headers in ({}, auth("mk_nope"), {"X-API-Key": "not-a-key"}):
        r = client.get("/api/v1/requests", headers=headers)
        assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
        assert r.json == {"error": "unauthorized", "details": [],
                          "message": "a valid API key is required (Authorization: Bearer <key>)"}
    principal, token = create_key(engine_of(app).store, "team")
    assert client.get("/api/v1/requests", headers={"X-API-Key": token}).status_code == 200
    revoke_key(engine_of(app).store, principal.key_id)
    assert client.get("/api/v1/requests", headers=auth(token)).status_code == 401


@pytest.mark.parametrize(("role", "method", "path"), [
    ("buyer", "post", "/api/v1/suppliers"), ("buyer", "put", "/api/v1/suppliers/BAT-001"),
    ("buyer", "delete", "/api/v1/suppliers/BAT-001"), ("buyer", "post", "/api/v1/suppliers/import"),
    ("buyer", "post", "/api/v1/shortlists"), ("buyer", "get", "/api/v1/evaluation"),
    ("evaluator", "post", "/api/v1/requests"), ("evaluator", "post", "/api/v1/match"),
    ("evaluator", "post", "/api/v1/suppliers"), ("evaluator", "delete", "/api/v1/suppliers/BAT-001"),
    ("evaluator", "post", "/api/v1/shortlists"),
])
def test_roles_are_refused_with_403(client, keys, role, method, path):
    r = getattr(client, method)(path, headers=auth(keys[role]), json={})
    assert r.status_code == 403
    assert r.json == {"error": "forbidden", "message": f"the {role} role may not do this", "details": []}


def test_buyer_sees_only_its_own_requests(client, keys):
    created = client.post("/api/v1/requests", json=REQUEST, headers=auth(keys["buyer"]))
    assert created.status_code == 201
    rid = created.json["request"]["request_id"]
    assert created.json["request"]["buyer_name"] == "Maison Aurès"  # the key decides, not the body
    assert created.json["result"]["matches"][0]["rank"] == 1
    mine = client.get("/api/v1/requests", headers=auth(keys["buyer"])).json["requests"]
    assert [r["request_id"] for r in mine] == [rid]
    assert client.get("/api/v1/requests", headers=auth(keys["other"])).json == {"requests": []}
    for path in (f"/api/v1/requests/{rid}", f"/api/v1/requests/{rid}/matches"):
        r = client.get(path, headers=auth(keys["other"]))
        assert r.status_code == 404 and r.json["message"] == f"request '{rid}' not found"
        assert client.get(path, headers=auth(keys["evaluator"])).status_code == 200
        assert client.get(path, headers=auth(keys["team"])).status_code == 200
    steal = client.post("/api/v1/requests", json={**REQUEST, "request_id": rid}, headers=auth(keys["other"]))
    assert steal.status_code == 404 and steal.json["message"] == f"request '{rid}' not found"  # as for reading it


def test_private_supplier_fields_never_reach_buyers(client, keys, app):
    emails = _emails(app)
    assert emails  # the sample has contact e-mails to leak
    responses = [
        client.get("/api/v1/suppliers?limit=1000", headers=auth(keys["buyer"])),
        client.get("/api/v1/suppliers/BAT-001", headers=auth(keys["buyer"])),
        client.post("/api/v1/requests", json=REQUEST, headers=auth(keys["buyer"])),
        client.post("/api/v1/match?include_ineligible=true&top_k=50", json=REQUEST, headers=auth(keys["buyer"])),
        client.get("/api/v1/suppliers?limit=1000", headers=auth(keys["evaluator"])),
    ]
    rid = responses[2].json["request"]["request_id"]
    responses.append(client.get(f"/api/v1/requests/{rid}/matches?top_k=50", headers=auth(keys["buyer"])))
    for r in responses:
        assert r.status_code in (200, 201)
        assert "contact_email" not in _keys_in(r.json)
        assert not any(e in r.get_data(as_text=True) for e in emails)
    team_view = client.get("/api/v1/suppliers/BAT-001", headers=auth(keys["team"])).json
    assert "contact_email" in team_view


def test_stateless_match_stores_nothing_and_accepts_a_profile(client, keys):
    r = client.post("/api/v1/match?top_k=3&profile=tuned", json=REQUEST, headers=auth(keys["team"]))
    assert r.status_code == 200 and len(r.json["matches"]) == 3 and r.json["profile"] == "tuned@2"
    assert client.get("/api/v1/requests", headers=auth(keys["team"])).json == {"requests": []}


@pytest.mark.parametrize(("query", "message"), [
    ("top_k=0", "top_k must be an integer from 1 to 500 (got '0')"),
    ("top_k=x", "top_k must be an integer from 1 to 500 (got 'x')"),
    ("include_ineligible=maybe", "include_ineligible must be true or false (got 'maybe')"),
])
def test_bad_query_parameters_are_422(client, keys, query, message):
    r = client.post(f"/api/v1/match?{query}", json=REQUEST, headers=auth(keys["team"]))
    assert r.status_code == 422 and r.json["message"] == message
    assert r.json["details"][0]["field"] == query.split("=")[0]


def test_unknown_profile_is_422(client, keys):
    r = client.post("/api/v1/match?profile=nope", json=REQUEST, headers=auth(keys["team"]))
    assert r.status_code == 422 and r.json["message"].startswith("no weight profile named 'nope'")


def test_body_errors_have_status_and_field_paths(client, keys):
    h = auth(keys["team"])
    r = client.post("/api/v1/match", data="{not json", headers=h, content_type="application/json")
    assert (r.status_code, r.json["message"]) == (400, "the request body is not valid JSON")
    r = client.post("/api/v1/match", data="a=b", headers=h, content_type="application/x-www-form-urlencoded")
    assert r.status_code == 415
    assert r.json["message"] == ("send JSON with Content-Type: application/json "
                                 "(got 'application/x-www-form-urlencoded')")
    r = client.post("/api/v1/match", json={"buyer_name": "B", "description": "d", "quantity": -5, "colour": 1},
                    headers=h)
    assert r.status_code == 422
    assert {(d["field"], d["message"]) for d in r.json["details"]} == {
        ("quantity", "must be >= 1 (got -5)"), ("colour", "unknown field")}
    r = client.post("/api/v1/match", json=[1, 2], headers=h)
    assert r.status_code == 422 and r.json["details"][0]["message"] == "a request must be an object, got list"
    big = {"buyer_name": "B", "description": "x" * 300_000, "quantity": 1}
    r = client.post("/api/v1/match", json=big, headers=h)
    assert r.status_code == 413 and r.json == {"error": "too_large", "details": [],
                                               "message": "request body too large (limit 262144 bytes)"}


def test_unknown_routes_and_methods_answer_json(client, keys):
    r = client.get("/api/v1/nothing-here", headers=auth(keys["team"]))
    assert r.status_code == 404 and r.json["error"] == "not_found" and r.mimetype == "application/json"
    r = client.patch("/api/v1/requests", headers=auth(keys["team"]))
    assert r.status_code == 405 and r.json["error"] == "method_not_allowed"
    assert set(r.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_supplier_crud(client, keys):
    h = auth(keys["team"])
    body = {"supplier_id": "NEW-1", "name": "Atelier Neuf", "country": "DZ", "description": "plateaux en cuivre",
            "products": ["trays"], "monthly_capacity": 50, "lead_time_days": 30, "contact_email": "a@b.dz"}
    assert client.post("/api/v1/suppliers", json=body, headers=h).status_code == 201
    again = client.post("/api/v1/suppliers", json=body, headers=h)
    assert again.status_code == 409 and again.json["message"] == "supplier 'NEW-1' exists; use PUT to replace it"
    mismatch = client.put("/api/v1/suppliers/OTHER", json=body, headers=h)
    assert mismatch.status_code == 422
    assert mismatch.json["message"] == "supplier_id in the body ('NEW-1') differs from the URL ('OTHER')"
    updated = client.put("/api/v1/suppliers/NEW-1", json={**body, "monthly_capacity": 80}, headers=h)
    assert updated.status_code == 200 and updated.json["monthly_capacity"] == 80
    created = client.put("/api/v1/suppliers/NEW-2", json={k: v for k, v in body.items() if k != "supplier_id"},
                         headers=h)
    assert created.status_code == 201 and created.json["supplier_id"] == "NEW-2"
    found = client.get("/api/v1/suppliers?q=atelier%20neuf", headers=h).json
    assert [s["supplier_id"] for s in found["suppliers"]] == ["NEW-1", "NEW-2"]
    assert client.delete("/api/v1/suppliers/NEW-1", headers=h).status_code == 204
    gone = client.get("/api/v1/suppliers/NEW-1", headers=h)
    assert gone.status_code == 404 and gone.json["message"] == "supplier 'NEW-1' not found"
    assert client.delete("/api/v1/suppliers/NEW-1", headers=h).status_code == 404


def test_supplier_filters(client, keys):
    h = auth(keys["buyer"])
    dz = client.get("/api/v1/suppliers?country=dz&cluster=batna&limit=1000", headers=h).json
    assert dz["total"] > 0 and all(s["country"] == "DZ" and "Batna" in s["cluster"] for s in dz["suppliers"])
    page = client.get("/api/v1/suppliers?limit=5&offset=5", headers=h).json
    assert len(page["suppliers"]) == 5 and page["total"] == 42


def _upload(client, token, text, name="sheet.csv", strict=False):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name)}
    if strict:
        data["strict"] = "true"
    return client.post("/api/v1/suppliers/import", data=data, headers=auth(token), content_type="multipart/form-data")


def test_import_upload_reports_rows(client, keys):
    from tests.conftest import HEADER

    text = (HEADER + "\nX-1,Atelier,DZ,bracelets,bracelets,10,20,5,9,\n"
            "X-2,Atelier 2,DZ,bracelets,bracelets,ten,20,5,9,\n")
    r = _upload(client, keys["team"], text)
    assert r.status_code == 202 and r.json["state"] == "queued" and r.json["kind"] == "import_suppliers"
    done = wait_job(client.get, r.json, auth(keys["team"]))
    assert done["state"] == "done" and done["progress"] == 100
    report = done["result"]
    assert (report["inserted"], report["rejected_rows"]) == (1, [3])
    assert report["rejected"][0]["text"] == (
        "sheet.csv, row 3: field 'monthly_capacity': must be a whole number (got 'ten')")
    strict = _upload(client, keys["team"], text.replace("X-1", "X-9"), strict=True)
    failed = wait_job(client.get, strict.json, auth(keys["team"]))
    assert failed["state"] == "failed" and failed["details"][0]["row"] == 3 and failed["result"] is None
    assert client.get("/api/v1/suppliers/X-9", headers=auth(keys["team"])).status_code == 404  # nothing written
    wrong = wait_job(client.get, _upload(client, keys["team"], "hello", name="notes.txt").json, auth(keys["team"]))
    assert wrong["state"] == "failed"
    assert wrong["error"] == "notes.txt: supplier sheets must be .csv, .xlsx, .json, .jsonl"
    nofile = client.post("/api/v1/suppliers/import", data={}, headers=auth(keys["team"]),
                         content_type="multipart/form-data")
    assert nofile.status_code == 422 and nofile.json["details"][0]["field"] == "file"
    assert nofile.json["message"] == "form: field 'file': is required"
    raw = client.post("/api/v1/suppliers/import", json={}, headers=auth(keys["team"]))
    assert raw.status_code == 415


def test_shortlists_as_json_csv_and_xlsx(client, keys):
    h = auth(keys["team"])
    ids = [client.post("/api/v1/requests", json={**REQUEST, "buyer_name": f"B{i}"}, headers=h).json["request"]
           ["request_id"] for i in range(2)]
    lists = client.post("/api/v1/shortlists", json={"request_ids": ids, "top_k": 2}, headers=h)
    assert lists.status_code == 200 and len(lists.json["buyers"]) == 4
    assert {row["buyer_name"] for row in lists.json["buyers"]} == {"B0", "B1"}
    csv = client.post("/api/v1/shortlists", json={"top_k": 2, "format": "csv"}, headers=h)
    assert csv.mimetype == "text/csv" and "attachment; filename=shortlist.csv" in csv.headers["Content-Disposition"]
    bundle = client.post("/api/v1/shortlists", json={"top_k": 2, "format": "zip", "min_score": 0.2}, headers=h)
    assert bundle.mimetype == "application/zip" and bundle.data[:2] == b"PK"
    xlsx = client.post("/api/v1/shortlists", json={"format": "xlsx"}, headers=h)
    assert xlsx.data[:2] == b"PK"
    bad = client.post("/api/v1/shortlists", json={"top_k": 0, "format": "pdf"}, headers=h)
    assert bad.status_code == 422
    assert bad.json["message"] == ("request body: field 'top_k': must be >= 1 (got 0); request body: field 'format': "
                                   "must be one of 'json', 'csv', 'zip' or 'xlsx' (got 'pdf')")
    assert [d["field"] for d in bad.json["details"]] == ["top_k", "format"]
    missing = client.post("/api/v1/shortlists", json={"request_ids": ["R-404"]}, headers=h)
    assert missing.status_code == 404 and missing.json["message"] == "request 'R-404' not found"
    vague = {k: v for k, v in REQUEST.items() if k != "quantity"}  # stored: it is valid, just not rankable yet
    client.post("/api/v1/requests", json={**vague, "buyer_name": "B2", "request_id": "R-VAGUE"}, headers=h)
    both = client.post("/api/v1/shortlists", json={"top_k": 2}, headers=h)
    assert both.status_code == 200, both.json
    rows = {row["buyer_name"]: row for row in both.json["buyers"]}
    assert rows["B2"]["why"].startswith("is required: give the number of units") and rows["B0"]["supplier_id"]


def evaluated(client, headers, query=""):
    """GET /evaluation until the background job behind it is done (202 meanwhile, with that job)."""
    first = client.get(f"/api/v1/evaluation{query}", headers=headers)
    if first.status_code == 202:
        assert first.json["kind"] == "evaluation"
        assert wait_job(client.get, first.json, headers)["state"] == "done"
        return client.get(f"/api/v1/evaluation{query}", headers=headers)
    return first


def test_evaluation_and_profiles_for_evaluators(client, keys):
    ev = evaluated(client, auth(keys["evaluator"]))
    assert ev.status_code == 200 and ev.json["n_requests"] == 30 and ev.json["violations"] == 0
    tuned = evaluated(client, auth(keys["evaluator"]), "?profile=tuned").json
    assert tuned["profile"] == "tuned@2" and tuned["summary"] != ev.json["summary"]
    names = [p["name"] for p in client.get("/api/v1/profiles", headers=auth(keys["buyer"])).json["profiles"]]
    assert {"default", "tuned", "tuned-fair"} <= set(names)


def test_health_and_openapi_describe_every_route(client, app):
    assert client.get("/healthz").json["status"] == "ok"
    spec = client.get("/api/v1/openapi.json").json
    documented = {(path, m.upper()) for path, ops in spec["paths"].items() for m in ops}
    routed = {(openapi_path(str(r.rule)), m) for r in app.url_map.iter_rules()
              if str(r.rule).startswith(("/api/", "/healthz")) for m in (r.methods or set()) - {"HEAD", "OPTIONS"}}
    assert documented == routed
    req = spec["paths"]["/api/v1/requests"]["post"]
    assert req["requestBody"]["content"]["application/json"]["schema"]["$ref"].startswith("#/components/schemas/")
    assert {"201", "401", "403", "413", "415", "422"} <= set(req["responses"])
    assert "quantity" in json.dumps(spec["components"]["schemas"])


def test_unexpected_failures_answer_a_generic_json_500(client, keys, app, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr("matcher.engine.Engine.match", boom)
    r = client.post("/api/v1/match", json=REQUEST, headers=auth(keys["team"]))
    assert r.status_code == 500
    assert r.json == {"error": "internal", "message": "internal server error; the incident was logged",
                      "details": []}
