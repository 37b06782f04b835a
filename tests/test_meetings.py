"""Meeting requests and profile edits: every refusal is a clear error and stores nothing (issue 14)."""

from datetime import UTC, datetime, timedelta

from matcher.keys import create_key
from tests.conftest import auth, engine_of

REQUEST = {"buyer_name": "x", "description": "Bracelets et fibules en argent pour une boutique de musée",
           "quantity": 20, "products": ["bracelets"], "max_lead_time_days": 120}


def _setup(client, keys, app):
    made = client.post("/api/v1/requests?include_ineligible=true&top_k=100", json=REQUEST,
                       headers=auth(keys["buyer"])).json
    matches = made["result"]["matches"]
    good = next(m["supplier_id"] for m in matches if m["eligible"] and not m["filler"])
    bad = next(m["supplier_id"] for m in matches if not m["eligible"] or m["filler"])
    store = engine_of(app).store
    return made["request"]["request_id"], good, bad, store


def _count(store) -> int:
    return len(store.meeting_requests())


def test_refusals_name_the_reason_and_store_nothing(client, keys, app):
    rid, good, bad, store = _setup(client, keys, app)
    h_buyer = auth(keys["buyer"])
    h_sup = auth(create_key(store, "supplier", supplier=good)[1])

    def ask(body, headers):
        return client.post("/api/v1/meeting-requests", json=body, headers=headers)

    cases = [
        (ask({"request_id": rid, "supplier_id": "NOPE-9"}, h_buyer), 404, "supplier 'NOPE-9' not found"),
        (ask({"request_id": "req-nope", "supplier_id": good}, h_buyer), 404, "request 'req-nope' not found"),
        (ask({"request_id": rid, "supplier_id": good}, auth(keys["other"])), 404, f"request '{rid}' not found"),
        (ask({"request_id": rid, "supplier_id": bad}, h_buyer), 422,
         f"supplier '{bad}' does not match: supplier '{bad}' misses a must-have of request '{rid}' or makes "
         "nothing of what it asks for"),
        (ask({"request_id": rid, "supplier_id": bad}, h_sup), 403,
         f"this key speaks for supplier '{good}', not '{bad}'"),
        (ask({"request_id": rid, "supplier_id": good}, auth(keys["team"])), 403, None),
        (ask({"request_id": rid, "supplier_id": good, "message": "x" * 1001}, h_buyer), 422, None),
    ]
    for response, status, message in cases:
        assert response.status_code == status, response.json
        if message:
            assert response.json["message"] == message
    assert _count(store) == 0
    audit_before = len(store.audit_entries("meeting_request"))
    assert audit_before == 0

    app.config["MEETINGS_DEADLINE"] = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    late = ask({"request_id": rid, "supplier_id": good}, h_buyer)
    assert late.status_code == 422
    assert late.json["message"] == (f"meeting requests closed at {app.config['MEETINGS_DEADLINE']}; ask the fair "
                                    "team to arrange this meeting")
    assert _count(store) == 0


def test_states_withdraw_expire_and_override(client, keys, app):
    rid, good, _, store = _setup(client, keys, app)
    h_buyer, h_team = auth(keys["buyer"]), auth(keys["team"])
    h_sup = auth(create_key(store, "supplier", supplier=good)[1])
    mr = client.post("/api/v1/meeting-requests", json={"request_id": rid, "supplier_id": good},
                     headers=h_buyer).json
    mid = mr["meeting_request_id"]
    # the asked side cannot withdraw; the asking side can, once
    assert client.post(f"/api/v1/meeting-requests/{mid}/withdraw", headers=h_sup).status_code == 403
    assert client.post(f"/api/v1/meeting-requests/{mid}/withdraw", headers=h_buyer).json["state"] == "withdrawn"
    again = client.post(f"/api/v1/meeting-requests/{mid}/answer", json={"accept": True}, headers=h_sup)
    assert again.status_code == 409
    assert again.json["message"] == (f"meeting request {mid} is withdrawn: only a request still waiting for an "
                                      "answer can be accepted or declined")
    # withdrawn: the pair may be asked again; past the deadline an unanswered request expires
    second = client.post("/api/v1/meeting-requests", json={"request_id": rid, "supplier_id": good},
                         headers=h_sup).json
    app.config["MEETINGS_DEADLINE"] = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    late = client.post(f"/api/v1/meeting-requests/{second['meeting_request_id']}/answer", json={"accept": True},
                       headers=h_buyer)
    assert late.status_code == 409 and " is expired: " in late.json["message"]
    listed = client.get("/api/v1/meeting-requests", headers=h_team).json
    assert {m["meeting_request_id"]: m["state"] for m in listed["meeting_requests"]} == {
        mid: "withdrawn", second["meeting_request_id"]: "expired"}
    assert list(listed["effects"].values()) == ["none", "none"]
    # the team's override decides what the planner makes of it
    put = client.put(f"/api/v1/meeting-requests/{mid}/override", json={"effect": "must_meet"}, headers=h_team)
    assert put.json["override"] == "must_meet"
    assert client.get("/api/v1/meeting-requests", headers=h_team).json["effects"][mid] == "must_meet"
    assert client.put(f"/api/v1/meeting-requests/{mid}/override", json={"effect": "must_meet"},
                      headers=h_buyer).status_code == 403
    trail = [(e["action"], e["detail"]) for e in reversed(store.audit_entries("meeting_request", mid))]
    assert trail == [("create", "buyer asked"), ("withdraw", "state=withdrawn"), ("override", "override=must_meet")]
    # a buyer sees only its own meeting requests; another buyer none
    assert client.get("/api/v1/meeting-requests", headers=auth(keys["other"])).json["meeting_requests"] == []
    assert client.get(f"/api/v1/meeting-requests/{mid}", headers=auth(keys["other"])).status_code == 404


def test_a_workshop_edits_its_own_profile_only(client, keys, app):
    store = engine_of(app).store
    h_sup = auth(create_key(store, "supplier", supplier="BAT-002")[1])
    before = store.get_supplier("BAT-002")
    other = client.patch("/api/v1/suppliers/BAT-003/profile", json={"lead_time_days": 10}, headers=h_sup)
    assert other.status_code == 403
    assert other.json["message"] == "this key speaks for supplier 'BAT-002': it cannot edit the profile of 'BAT-003'"
    refused = client.patch("/api/v1/suppliers/BAT-002/profile", json={"supplier_id": "X", "name": "Y",
                                                                      "lead_time_days": 10}, headers=h_sup)
    assert refused.status_code == 422
    assert refused.json["message"] == ("profile: field 'supplier_id': suppliers may not change this field; ask the "
                                       "fair team; profile: field 'name': suppliers may not change this field; ask "
                                       "the fair team")
    invalid = client.patch("/api/v1/suppliers/BAT-002/profile", json={"price_min_eur": 90, "price_max_eur": 10},
                           headers=h_sup)
    assert invalid.status_code == 422 and invalid.json["details"][0]["field"] == "price_max_eur"
    assert store.get_supplier("BAT-002") == before  # nothing written
    ok = client.patch("/api/v1/suppliers/BAT-002/profile",
                      json={"certifications": [*before.certifications, "REACH nickel"], "lead_time_days": 12},
                      headers=h_sup)
    assert ok.status_code == 200 and ok.json["changed"] == ["certifications", "lead_time_days"]
    assert store.get_supplier("BAT-002").lead_time_days == 12
    entry = store.audit_entries("supplier", "BAT-002")[0]
    assert (entry["role"], entry["action"], entry["detail"]) == ("supplier", "change",
                                                                 "fields: certifications, lead_time_days")
    assert client.get("/api/v1/suppliers/BAT-003/profile", headers=h_sup).status_code == 403
    assert "contact_email" in client.get("/api/v1/suppliers/BAT-002/profile", headers=h_sup).json["editable"]
