"""The API over real HTTP: waitress on loopback, a real client, and a property-based check of the spec."""

import io

import pytest
import requests

from tests.conftest import DATA, auth, engine_of, wait_job


def test_main_flow_over_http(live_server, keys):
    s = requests.Session()
    assert s.get(f"{live_server}/healthz", timeout=10).json()["suppliers"] == 42
    with open(DATA / "suppliers.csv", "rb") as fh:
        imported = s.post(f"{live_server}/api/v1/suppliers/import", files={"file": ("suppliers.csv", fh)},
                          headers=auth(keys["team"]), timeout=30)
    assert imported.status_code == 202
    job = wait_job(lambda path, headers: s.get(f"{live_server}{path}", headers=headers, timeout=10), imported.json(),
                   auth(keys["team"]))
    assert job["state"] == "done" and job["result"]["unchanged"] == 42
    body = {"buyer_name": "x", "description": "Plateaux et lampes en cuivre martelé pour hôtel", "quantity": 200,
            "products": ["trays", "lamps"], "buyer_type": "hotel", "max_lead_time_days": 90}
    created = s.post(f"{live_server}/api/v1/requests", json=body, headers=auth(keys["buyer"]), timeout=30)
    assert created.status_code == 201
    rid = created.json()["request"]["request_id"]
    top = created.json()["result"]["matches"][0]
    assert sum(f["contribution"] for f in top["factors"].values()) == pytest.approx(top["score"], abs=1e-3)
    again = s.get(f"{live_server}/api/v1/requests/{rid}/matches?top_k=3", headers=auth(keys["buyer"]), timeout=30)
    assert [m["supplier_id"] for m in again.json()["matches"]] == [
        m["supplier_id"] for m in created.json()["result"]["matches"][:3]]
    assert s.get(f"{live_server}/api/v1/requests/{rid}", headers=auth(keys["other"]), timeout=10).status_code == 404
    assert s.get(f"{live_server}/api/v1/requests/{rid}", timeout=10).status_code == 401
    sheet = s.post(f"{live_server}/api/v1/shortlists", json={"format": "xlsx", "request_ids": [rid]},
                   headers=auth(keys["team"]), timeout=30)
    assert sheet.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sheet.content[:2] == b"PK"


def test_oversized_upload_is_refused_before_reading(live_server, keys):
    big = io.BytesIO(b"supplier_id,name\n" + b"x" * (300 * 1024))
    r = requests.post(f"{live_server}/api/v1/suppliers/import", files={"file": ("big.csv", big)},
                      headers=auth(keys["team"]), timeout=30)
    assert r.status_code == 413 and r.json()["error"] == "too_large"


def test_every_denial_holds_over_http(live_server, keys, app):
    """No key, wrong key, wrong role, another buyer's request, private fields: all over a real socket."""
    api = f"{live_server}/api/v1"
    s = requests.Session()
    for headers in ({}, {"Authorization": "Bearer mk_forged_key"}, {"X-API-Key": keys["team"] + "x"}):
        r = s.get(f"{api}/suppliers", headers=headers, timeout=10)
        assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    for role, method, path in (("buyer", "POST", "/suppliers"), ("buyer", "DELETE", "/suppliers/BAT-001"),
                               ("buyer", "POST", "/shortlists"), ("buyer", "POST", "/fairs"),
                               ("evaluator", "POST", "/requests"), ("evaluator", "PUT", "/suppliers/BAT-001")):
        r = s.request(method, f"{api}{path}", json={}, headers=auth(keys[role]), timeout=10)
        assert r.status_code == 403, (role, method, path)
    body = {"buyer_name": "x", "description": "bijoux en argent", "quantity": 50, "products": ["bracelets"]}
    mine = s.post(f"{api}/requests", json=body, headers=auth(keys["buyer"]), timeout=30).json()
    rid = mine["request"]["request_id"]
    for path in (f"/requests/{rid}", f"/requests/{rid}/matches"):
        assert s.get(f"{api}{path}", headers=auth(keys["other"]), timeout=10).status_code == 404
    assert s.get(f"{api}/requests", headers=auth(keys["other"]), timeout=10).json() == {"requests": []}
    emails = [x.contact_email for x in engine_of(app).store.suppliers() if x.contact_email]
    buyer_views = [
        s.get(f"{api}/suppliers?limit=1000", headers=auth(keys["buyer"]), timeout=10),
        s.get(f"{api}/suppliers/BAT-002", headers=auth(keys["buyer"]), timeout=10),
        s.get(f"{api}/requests/{rid}/matches?top_k=50&include_ineligible=true", headers=auth(keys["buyer"]),
              timeout=30),
        s.post(f"{api}/match?top_k=50", json=body, headers=auth(keys["buyer"]), timeout=30),
    ]
    for r in buyer_views:
        assert r.status_code == 200 and "contact_email" not in r.text
        assert not any(e in r.text for e in emails)
