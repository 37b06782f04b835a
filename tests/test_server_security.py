"""Sessions, CSRF, redirects, headers and input bounds (issue 12), through the test client."""

import json
import re

import pytest

from tests.conftest import auth, wait_job

REQUEST = {"buyer_name": "x", "description": "plateaux en cuivre martelé", "quantity": 50, "products": ["trays"]}


def _token(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _sign_in(client, key):
    token = _token(client.get("/login").get_data(as_text=True))
    r = client.post("/login", data={"key": key, "csrf": token})
    assert r.status_code == 302
    return _token(client.get("/buyer").get_data(as_text=True))


def test_the_session_cookie_is_opaque_and_dies_at_logout(app, keys):
    client = app.test_client()
    csrf = _sign_in(client, keys["team"])
    cookie = client.get_cookie("session")
    assert keys["team"] not in cookie.value and "." not in cookie.value  # a random id, not a signed payload
    assert cookie.http_only and cookie.same_site == "Lax"
    copied = app.test_client()
    copied.set_cookie("session", cookie.value)
    assert copied.get("/team").status_code == 200
    assert client.post("/logout", data={"csrf": csrf}).status_code == 302
    assert copied.get("/team").status_code == 302  # the row is gone: the copy opens nothing
    assert copied.get("/api/v1/suppliers").status_code == 401


def test_revoking_the_key_ends_its_sessions(app, keys, cli):
    from matcher.keys import revoke_key
    from tests.conftest import engine_of

    client = app.test_client()
    _sign_in(client, keys["buyer"])
    assert client.get("/buyer").status_code == 200
    revoke_key(engine_of(app).store, keys["buyer"].split("_")[1])
    assert client.get("/buyer").status_code == 302


def test_secure_cookies_can_be_required(app, keys):
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    client.get("/login")
    assert client.get_cookie("session").secure


def test_sign_in_needs_the_form_token_of_a_session(client, keys):
    assert client.post("/login", data={"key": keys["team"], "csrf": "-"}).status_code == 400
    assert client.post("/login", data={"key": keys["team"]}).status_code == 400
    assert client.get("/team").status_code == 302  # not signed in


def test_cookie_api_calls_that_change_state_need_the_csrf_header(client, keys):
    csrf = _sign_in(client, keys["team"])
    assert client.get("/api/v1/suppliers?limit=1").status_code == 200  # reading needs no token
    refused = client.post("/api/v1/requests", json=REQUEST)
    assert refused.status_code == 403 and refused.json["error"] == "csrf"
    assert client.post("/api/v1/requests", json=REQUEST, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert client.post("/api/v1/requests", json=REQUEST, headers={"X-CSRF-Token": csrf}).status_code == 201


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
                                    "/\t/evil.example", "javascript:alert(1)"])
def test_sign_in_redirects_only_to_local_paths(client, keys, target):
    token = _token(client.get("/login").get_data(as_text=True))
    r = client.post("/login", query_string={"next": target}, data={"key": keys["team"], "csrf": token})
    assert r.headers["Location"] == "/team"


def test_sign_in_keeps_a_local_next(client, keys):
    token = _token(client.get("/login").get_data(as_text=True))
    r = client.post("/login?next=/team/market", data={"key": keys["team"], "csrf": token})
    assert r.headers["Location"] == "/team/market"


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/healthz", "/static/style.css"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def _post(client, keys, body, path="/api/v1/match", raw=None):
    if raw is not None:
        return client.post(path, data=raw, content_type="application/json", headers=auth(keys["team"]))
    return client.post(path, json=body, headers=auth(keys["team"]))


def test_lists_and_texts_are_bounded(client, keys):
    many = _post(client, keys, {**REQUEST, "products": [f"p{i}" for i in range(15_000)]})
    assert many.status_code == 422 and many.json["details"][0]["message"] == "at most 100 items (got 15000)"
    long_item = _post(client, keys, {**REQUEST, "materials": ["x" * 201]})
    assert long_item.status_code == 422 and long_item.json["details"][0]["message"] == (
        "each item at most 200 characters")
    long_text = _post(client, keys, {**REQUEST, "description": "y" * 10_001})
    assert long_text.status_code == 422
    spec = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    props = spec["BuyerRequest"]["properties"]
    assert props["products"]["maxItems"] == 100 and props["products"]["items"]["maxLength"] == 200
    assert props["description"]["maxLength"] == 10_000
    assert props["quantity"]["anyOf"][0]["maximum"] == 10**9


def test_numbers_must_be_finite_and_in_range(client, keys):
    huge = _post(client, keys, None, raw='{"buyer_name": "x", "description": "d", "quantity": ' + "9" * 400 + "}")
    assert huge.status_code == 422 and huge.json["details"][0]["field"] == "quantity"
    weight = _post(client, keys, {**REQUEST, "weights": {"product": 1.7e308, "price": 1.7e308}})
    assert weight.status_code == 422 and weight.json["details"][0]["message"] == (
        "weight of 'product' must be a number from 0 to 1000 (got 1.7e+308)")
    infinite = _post(client, keys, None, raw=json.dumps(REQUEST)[:-1] + ', "max_unit_price_eur": 1e999}')
    assert infinite.status_code == 422
    top = client.post("/api/v1/match?top_k=501", json=REQUEST, headers=auth(keys["team"]))
    assert top.status_code == 422
    top_k = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/match"]["post"]["parameters"][0]
    assert top_k["name"] == "top_k" and top_k["schema"]["anyOf"][0]["maximum"] == 500


def test_deep_json_and_broken_text_are_refused(client, keys):
    deep = _post(client, keys, None, raw="[" * 1000 + "]" * 1000)
    assert deep.status_code == 400 and deep.json["message"] == "the JSON body nests deeper than 32 levels"
    deeper = _post(client, keys, None, raw="[" * 100_000 + "]" * 100_000)
    assert deeper.status_code == 400
    surrogate = _post(client, keys, None, raw=json.dumps(REQUEST)[:-1] + ', "materials": ["\\ud800"]}')
    assert surrogate.status_code == 422 and "not valid Unicode" in surrogate.json["message"]
    crlf = _post(client, keys, {**REQUEST, "request_id": "R1\r\nATTENDEE:mailto:x@evil.example"},
                 path="/api/v1/requests")
    assert crlf.status_code == 422 and crlf.json["details"][0]["field"] == "request_id"


def test_profiles_are_names_never_paths(client, keys):
    for profile in ("../../etc/passwd", "/etc/hosts.json", "models/profiles/default.json"):
        r = client.post(f"/api/v1/match?profile={profile}", json=REQUEST, headers=auth(keys["team"]))
        assert r.status_code == 422 and "/work" not in r.get_data(as_text=True)


def test_a_bad_fair_time_zone_is_refused_at_once(client, keys):
    from matcher.fair.definition import load_fair
    from tests.test_api_fairs import FAIR

    body = load_fair(FAIR).model_dump(mode="json")
    r = client.post("/api/v1/fairs", json={**body, "timezone": "Mars/Olympus"}, headers=auth(keys["team"]))
    assert r.status_code == 422 and r.json["details"][0]["field"] == "timezone"


@pytest.mark.parametrize("name", ["../../etc/passwd.csv", "a\x00b.csv", "é\u202ecsv.xlsx", "C:\\x\\y.csv", ".csv",
                                  "x" * 300 + ".csv", "notes.txt"])
def test_odd_upload_names_never_break_the_server(client, keys, name):
    import io

    from tests.conftest import HEADER

    sheet = (HEADER + "\nODD-1,Atelier,DZ,bracelets,bracelets,10,20,5,9,\n").encode()
    r = client.post("/api/v1/suppliers/import", data={"file": (io.BytesIO(sheet), name)},
                    headers=auth(keys["team"]), content_type="multipart/form-data")
    assert r.status_code == 202
    job = wait_job(client.get, r.json, auth(keys["team"]))
    assert job["state"] in ("done", "failed") and "/" not in (job["result"] or {}).get("file", "")
    if name == "notes.txt":
        assert job["error"] == "notes.txt: supplier sheets must be .csv, .xlsx, .json, .jsonl"
