"""The hardened waitress server, the index refresh off the request path, several worker processes,
and the audit trail."""

import os
import signal
import socket
import threading
import time

import pytest
import requests
from serverkit import free_port, matcher, start_server

from matcher.index import SupplierIndex
from matcher.jobs.indexing import RefreshingIndexCache
from matcher_web.serving import Limits, make_server
from tests.conftest import DATA, auth, engine_of
from tests.dbs import PG, database_url


@pytest.fixture
def tight_server(app):
    server = make_server(app, "127.0.0.1", 0, Limits(threads=2, header_timeout=1.0, per_client=3, channel_timeout=5))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()


def _closed(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except (TimeoutError, ConnectionResetError):
        return False


def test_connections_beyond_the_bound_per_client_are_closed(tight_server):
    held = [socket.create_connection(("127.0.0.1", tight_server), source_address=("127.0.0.2", 0))
            for _ in range(3)]
    time.sleep(0.3)
    extra = socket.create_connection(("127.0.0.1", tight_server), source_address=("127.0.0.2", 0))
    assert _closed(extra, 2.0)
    assert requests.get(f"http://127.0.0.1:{tight_server}/healthz", timeout=5).ok  # another address is served
    for s in held:
        s.close()


def test_headers_sent_too_slowly_close_the_connection(tight_server):
    slow = socket.create_connection(("127.0.0.1", tight_server))
    slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    closed = False
    for _ in range(6):
        time.sleep(0.5)
        try:
            slow.sendall(b"X")
        except OSError:
            closed = True
            break
    assert closed or _closed(slow, 1.0)


def test_readers_keep_the_old_index_while_it_is_brought_up_to_date():
    gate, refreshed = threading.Event(), []

    def index_at(version):
        index = SupplierIndex().fit([], __import__("numpy").zeros((0, 4)))
        index.version_ = version
        return index

    def must_not(*_):
        pytest.fail("a reader must not build or update")

    def slow_refresher():
        gate.wait(10)
        refreshed.append(1)
        return cache.get(("m",), 2, must_not, lambda _old: index_at(2))

    cache = RefreshingIndexCache(slow_refresher)
    first = cache.get(("m",), 1, lambda: index_at(1), must_not)
    started = time.monotonic()
    again = cache.get(("m",), 2, must_not, must_not)
    assert again is first and time.monotonic() - started < 0.5 and not refreshed  # served at once, old index
    gate.set()
    assert cache.wait_for(2, timeout=10) and cache.current_version() == 2
    assert cache.get(("m",), 2, must_not, must_not) is not first


@pytest.mark.skipif(not PG, reason="LISTEN/NOTIFY: PostgreSQL only (SQLite readers see the version counter)")
def test_a_change_notifies_every_process_index(app, keys, fake_embedder, tmp_path):
    from api import create_app

    other = create_app({"TESTING": True, "DATABASE": app.config["DATABASE"], "EMBEDDER": fake_embedder,
                        "SECRET_KEY": "t", "JOB_THREADS": 0})
    try:
        r = other.extensions["matcher"]
        other.test_client().get("/api/v1/suppliers?limit=1", headers=auth(keys["team"]))
        engine = engine_of(other)
        engine.index()
        before = r.indexes.current_version()
        body = app.test_client().get("/api/v1/suppliers/BAT-001", headers=auth(keys["team"])).json
        put = app.test_client().put("/api/v1/suppliers/BAT-001", json={**body, "monthly_capacity": 7},
                                    headers=auth(keys["team"]))
        assert put.status_code == 200
        deadline = time.monotonic() + 10  # no request to the other app: its LISTEN thread starts the rebuild
        while r.indexes.current_version() == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert r.indexes.current_version() > before
    finally:
        other.extensions["matcher"].stop()
        engine_of(other).store.close()


def test_several_worker_processes_share_the_port_and_a_dead_one_is_replaced(tmp_path):
    db = database_url(tmp_path, "workers.db")
    matcher(db, "import", "suppliers", str(DATA / "suppliers.csv"))
    port = free_port()
    server = start_server(db, port, "--workers", "2")
    try:
        def children():
            with open(f"/proc/{server.pid}/task/{server.pid}/children") as fh:
                return [int(p) for p in fh.read().split()]

        deadline = time.monotonic() + 60
        while len(children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        first = children()
        assert len(first) == 2
        os.kill(first[0], signal.SIGKILL)
        while time.monotonic() < deadline and (first[0] in children() or len(children()) < 2):
            time.sleep(0.2)
        assert len(children()) == 2 and first[0] not in children()
        for _ in range(10):
            assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=30).json()["suppliers"] == 42
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_team_reads_who_changed_what(client, keys):
    h = auth(keys["team"])
    body = client.get("/api/v1/suppliers/BAT-001", headers=h).json
    assert client.put("/api/v1/suppliers/BAT-001", json={**body, "monthly_capacity": 9}, headers=h).status_code == 200
    assert client.delete("/api/v1/suppliers/BAT-002", headers=h).status_code == 204
    rid = client.post("/api/v1/requests", json={"buyer_name": "x", "description": "plateaux", "quantity": 5},
                      headers=auth(keys["buyer"])).json["request"]["request_id"]
    trail = client.get("/api/v1/audit?limit=3", headers=h).json["entries"]
    team_id, buyer_id = keys["team"].split("_")[1], keys["buyer"].split("_")[1]
    assert [(e["action"], e["kind"], e["record_id"], e["key_id"], e["role"]) for e in trail] == [
        ("create", "request", rid, buyer_id, "buyer"), ("delete", "supplier", "BAT-002", team_id, "team"),
        ("change", "supplier", "BAT-001", team_id, "team")]
    first = client.get("/api/v1/audit?kind=supplier&record_id=BAT-001", headers=h).json["entries"]
    assert [e["action"] for e in first] == ["change", "create"] and first[1]["role"] == "cli"  # the fixture's import
    assert client.get("/api/v1/audit", headers=auth(keys["buyer"])).status_code == 403


def test_the_supplier_listing_follows_edits_deletions_and_outside_writes(client, keys, app):
    from matcher.schema import Supplier

    h = auth(keys["team"])
    ids = lambda: [s["supplier_id"] for s in client.get("/api/v1/suppliers?limit=1000", headers=h).json["suppliers"]]  # noqa: E731
    assert len(ids()) == 42
    body = client.get("/api/v1/suppliers/BAT-003", headers=h).json
    client.put("/api/v1/suppliers/BAT-003", json={**body, "name": "Atelier renommé"}, headers=h)
    client.delete("/api/v1/suppliers/BAT-004", headers=h)
    engine_of(app).store.upsert_suppliers([Supplier(supplier_id="ZZZ-1", name="Dehors", country="DZ",
                                                    description="plateaux", products=["plateaux"],
                                                    monthly_capacity=5, lead_time_days=5)])  # another process
    listed = ids()
    assert len(listed) == 42 and "BAT-004" not in listed and listed[-1] == "ZZZ-1"
    found = client.get("/api/v1/suppliers?q=renomme", headers=h).json["suppliers"]
    assert [s["supplier_id"] for s in found] == ["BAT-003"]
