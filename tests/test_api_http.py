"""The API over real HTTP: waitress on loopback, a real client, and a property-based check of the spec."""

import io

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from tests.conftest import DATA, auth


def test_main_flow_over_http(live_server, keys):
    s = requests.Session()
    assert s.get(f"{live_server}/healthz", timeout=10).json()["suppliers"] == 42
    with open(DATA / "suppliers.csv", "rb") as fh:
        imported = s.post(f"{live_server}/api/v1/suppliers/import", files={"file": ("suppliers.csv", fh)},
                          headers=auth(keys["team"]), timeout=30)
    assert imported.status_code == 200 and imported.json()["updated"] == 42
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


def test_every_operation_conforms_to_the_spec(live_server, keys):
    """Generated inputs per operation: never a 5xx, every response matches its documented status and schema."""
    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 21

    for operation in operations:
        @settings(max_examples=20, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            # One rule JSON Schema cannot state (price_min_eur <= price_max_eur) makes some schema-valid
            # suppliers 422; that check alone is off. Server errors, status codes, content types and
            # response schemas are all checked.
            case.call_and_validate(headers=auth(keys["team"]), excluded_checks=[positive_data_acceptance])

        check()
