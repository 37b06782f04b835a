"""Two-sided matchmaking over HTTP (issue 14): supplier key -> sees a matching request -> asks for a
meeting -> the buyer accepts -> the plan holds it as a must-meet -> both agendas show it -> both record
outcomes -> judgments (with the conflict between the two sides reported)."""

import requests as http

from matcher.keys import create_key
from tests.conftest import auth, engine_of, wait_job

REQUEST = {"buyer_name": "x", "description": "Bracelets et fibules en argent pour une boutique de musée",
           "quantity": 20, "products": ["bracelets"], "max_lead_time_days": 120}


def _fair(request_id: str, suppliers: list[str]) -> dict:
    return {"name": "Salon test", "timezone": "Africa/Algiers", "tables": 2,
            "days": [{"date": "2027-04-20", "start": "09:00", "slot_minutes": 30, "slots": 4}],
            "limits": {"max_meetings_per_buyer": 2, "max_meetings_per_supplier": 2, "min_meetings_per_supplier": 0,
                       "min_meetings_per_buyer": 0},
            "buyers": [{"request_id": request_id}], "suppliers": [{"supplier_id": s} for s in suppliers]}


def test_the_whole_flow_over_http(app, keys, live_server):
    base, h_buyer, h_team = live_server, auth(keys["buyer"]), auth(keys["team"])
    created = http.post(f"{base}/api/v1/requests", json=REQUEST, headers=h_buyer, timeout=60).json()
    rid = created["request"]["request_id"]
    ranked = [m["supplier_id"] for m in created["result"]["matches"]]
    sid, second, third = ranked[:3]
    store = engine_of(app).store
    h_sup = auth(create_key(store, "supplier", supplier=sid, email="atelier@example.org")[1])
    create_key(store, "buyer", "Maison Aurès", email="achats@example.org")

    # the supplier sees the request among its matches, explained in Arabic, without the buyer's name
    mine = http.get(f"{base}/api/v1/me/matches?lang=ar", headers=h_sup, timeout=60).json()
    assert rid in [m["request"]["request_id"] for m in mine["matches"]]
    assert "Maison" not in str(mine) and mine["locale"] == "ar"
    # ... and nothing of the catalogue or the other requests
    assert http.get(f"{base}/api/v1/suppliers", headers=h_sup, timeout=30).status_code == 403
    assert http.get(f"{base}/api/v1/requests/{rid}", headers=h_sup, timeout=30).status_code == 403

    # the supplier asks; a second ask of the same pair, by either side, is refused
    asked = http.post(f"{base}/api/v1/meeting-requests", json={"request_id": rid, "supplier_id": sid,
                                                               "message": "Nous serions ravis"},
                      headers=h_sup, timeout=60)
    assert asked.status_code == 201, asked.text
    mr = asked.json()
    assert (mr["state"], mr["from_side"]) == ("requested", "supplier")
    again = http.post(f"{base}/api/v1/meeting-requests", json={"request_id": rid, "supplier_id": sid},
                      headers=h_buyer, timeout=60)
    assert again.status_code == 409
    assert again.json()["message"] == (f"a meeting between request '{rid}' and supplier '{sid}' was already asked "
                                       f"for ({mr['meeting_request_id']}, requested); it cannot be asked twice")
    # the asking side cannot answer its own request; another buyer does not even see it
    own = http.post(f"{base}/api/v1/meeting-requests/{mr['meeting_request_id']}/answer", json={"accept": True},
                    headers=h_sup, timeout=30)
    assert own.status_code == 403
    assert own.json()["message"] == (f"meeting request {mr['meeting_request_id']} was sent by you: only the buyer "
                                     "can answer it")
    other = http.post(f"{base}/api/v1/meeting-requests/{mr['meeting_request_id']}/answer", json={"accept": True},
                      headers=auth(keys["other"]), timeout=30)
    assert other.status_code == 404
    # the buyer sees it in its notifications, and accepts
    note = http.get(f"{base}/api/v1/me/notifications?lang=en", headers=h_buyer, timeout=30).json()
    assert note["notifications"][0]["text"].startswith(f"New meeting request {mr['meeting_request_id']}")
    ok = http.post(f"{base}/api/v1/meeting-requests/{mr['meeting_request_id']}/answer",
                   json={"accept": True, "message": "Avec plaisir"}, headers=h_buyer, timeout=30)
    assert ok.status_code == 200 and ok.json()["state"] == "accepted" and ok.json()["answer"] == "Avec plaisir"
    # the supplier's e-mail reaches the buyer only once the supplier allows it
    url_mr = f"{base}/api/v1/meeting-requests/{mr['meeting_request_id']}"
    assert http.get(url_mr, headers=h_buyer, timeout=30).json()["shared_email"] is None
    assert http.put(f"{base}/api/v1/me/contact-sharing", json={"share": True}, headers=h_sup,
                    timeout=30).json() == {"share": True}
    contact = store.get_supplier(sid).contact_email
    assert http.get(url_mr, headers=h_buyer, timeout=30).json()["shared_email"] == contact
    assert http.get(url_mr, headers=h_sup, timeout=30).json()["shared_email"] is None  # buyers only
    # the buyer asks a second supplier, which declines; a third one is asked and left unanswered
    declined = http.post(f"{base}/api/v1/meeting-requests", json={"request_id": rid, "supplier_id": second},
                         headers=h_buyer, timeout=60).json()
    h_second = auth(create_key(store, "supplier", supplier=second)[1])
    assert http.post(f"{base}/api/v1/meeting-requests/{declined['meeting_request_id']}/answer",
                     json={"accept": False}, headers=h_second, timeout=30).json()["state"] == "declined"
    assert http.post(f"{base}/api/v1/meeting-requests", json={"request_id": rid, "supplier_id": third},
                     headers=h_buyer, timeout=60).status_code == 201
    listed = http.get(f"{base}/api/v1/meeting-requests", headers=h_team, timeout=30).json()
    assert sorted(listed["effects"].values()) == ["do_not_meet", "must_meet", "would_like"]

    # the plan: accepted -> must-meet, declined -> never, unanswered -> a wish
    job = http.post(f"{base}/api/v1/fairs?time_limit=5", json=_fair(rid, [sid, second, third]), headers=h_team,
                    timeout=30).json()
    plan_job = wait_job(lambda url, headers: http.get(base + url, headers=headers, timeout=30), job, h_team, 120)
    assert plan_job["state"] == "done", plan_job
    plan_id = plan_job["result"]["plan_id"]
    assert "from meeting requests: 1 must_meet, 1 would_like, 1 do_not_meet" in plan_job["result"]["notes"]
    plan = http.get(f"{base}/api/v1/fairs/{plan_id}", headers=h_team, timeout=30).json()
    pairs = {m["supplier_id"]: m for m in plan["meetings"] if m["request_id"] == rid}
    assert pairs[sid]["must"] is True and second not in pairs

    # both agendas show the meeting; each downloads its own calendar
    agendas = {}
    for side, h in (("buyer", h_buyer), ("supplier", h_sup)):
        agendas[side] = http.get(f"{base}/api/v1/me/agenda", headers=h, timeout=30).json()
        assert agendas[side]["plan_id"] == plan_id
        ics = http.get(f"{base}/api/v1/me/agenda/{plan_id}/calendar.ics", headers=h, timeout=30)
        assert ics.status_code == 200 and ics.headers["Content-Type"].startswith("text/calendar")
        assert b"BEGIN:VEVENT" in ics.content
    meeting = next(m for m in agendas["supplier"]["meetings"] if m["counterpart_id"] == rid)
    assert meeting["counterpart"] == "Maison Aurès" and meeting["must"] is True
    assert any(m["counterpart_id"] == sid for m in agendas["buyer"]["meetings"])
    assert http.get(f"{base}/api/v1/me/agenda/{plan_id}/calendar.ics", headers=h_second,
                    timeout=30).status_code == 404  # no meeting of its own in this plan

    # both record outcomes; they differ: a conflict, graded by the lower one
    url = f"{base}/api/v1/me/agenda/{plan_id}/outcomes/{meeting['meeting_id']}"
    assert http.put(url, json={"outcome": "agreement"}, headers=h_buyer, timeout=30).status_code == 204
    assert http.put(url, json={"outcome": "cooperation_possible"}, headers=h_sup, timeout=30).status_code == 204
    assert http.put(url, json={"outcome": "agreement"}, headers=h_second, timeout=30).status_code == 404
    conflicts = http.get(f"{base}/api/v1/fairs/{plan_id}/outcome-conflicts", headers=h_team, timeout=30).json()
    assert conflicts["conflicts"] == [{"plan_id": plan_id, "meeting_id": meeting["meeting_id"], "request_id": rid,
                                       "supplier_id": sid, "buyer_outcome": "agreement",
                                       "supplier_outcome": "cooperation_possible"}]
    qrels = http.get(f"{base}/api/v1/fairs/{plan_id}/qrels", headers=h_team, timeout=30).text
    assert f"{rid}\t{sid}\t2" in qrels.splitlines()
    # the supplier's notifications: the answer and the agenda
    events = [n["event"] for n in http.get(f"{base}/api/v1/me/notifications", headers=h_sup,
                                           timeout=30).json()["notifications"]]
    assert events == ["agenda", "meeting_accepted", "new_match"]  # told of the request when it was stored
    outbox = http.get(f"{base}/api/v1/outbox", headers=h_team, timeout=30).json()["entries"]
    assert {(e["email"], e["email_state"]) for e in outbox} >= {("atelier@example.org", "pending"),
                                                                ("achats@example.org", "pending")}
