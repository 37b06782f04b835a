"""`matcher keys` and `matcher serve` through the real command line."""

import json
import os
import socket
import subprocess
import sys
import time

import requests

from matcher.store import Store
from tests.conftest import ROOT


def test_keys_create_list_revoke(cli):
    made = cli("keys", "create", "--role", "buyer", "--buyer", "Maison Aurès", "--json")
    assert made.exit_code == 0, made.output
    key = json.loads(made.output)
    assert key["key"].startswith(f"mk_{key['key_id']}_") and key["buyer"] == "Maison Aurès"
    listed = cli("keys", "list", "--json")
    (row,) = json.loads(listed.output)
    assert row["key_id"] == key["key_id"] and "key" not in row and row["revoked_at"] is None
    stored = Store(str(cli.db))
    assert key["key"] not in repr(stored.db.all("SELECT * FROM api_keys"))  # only the digest is stored
    stored.close()
    assert cli("keys", "revoke", key["key_id"]).output == f"key {key['key_id']} revoked\n"
    again = cli("keys", "revoke", key["key_id"])
    assert again.exit_code == 1 and again.output == f"Error: active API key '{key['key_id']}' not found\n"


def test_keys_refuse_bad_roles_and_missing_buyer(cli):
    no_buyer = cli("keys", "create", "--role", "buyer")
    assert no_buyer.exit_code == 1
    assert no_buyer.output == "Error: a buyer key needs --buyer NAME: the buyer_name its requests carry\n"
    extra = cli("keys", "create", "--role", "team", "--buyer", "X")
    assert extra.output == "Error: --buyer only applies to buyer keys, not team\n"
    assert cli("keys", "create", "--role", "admin").exit_code == 2


def test_supplier_keys_from_the_command_line(cli):
    unknown = cli("keys", "create", "--role", "supplier", "--supplier", "BAT-002")
    assert unknown.exit_code == 1 and unknown.output == "Error: supplier 'BAT-002' not found\n"
    assert cli("import", "suppliers", str(ROOT / "data" / "suppliers.csv")).exit_code == 0
    made = cli("keys", "create", "--role", "supplier", "--supplier", "BAT-002", "--email", "a@example.org", "--json")
    assert made.exit_code == 0, made.output
    key = json.loads(made.output)
    assert (key["role"], key["supplier"], key["buyer"]) == ("supplier", "BAT-002", None)
    listed = cli("keys", "list")
    assert f"{key['key_id']}\tsupplier\tBAT-002\t" in listed.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_waitress_until_stopped(tmp_path):
    port = _free_port()
    env = {**os.environ, "MATCHER_DB": str(tmp_path / "serve.db")}
    proc = subprocess.Popen([sys.executable, "-m", "matcher_cli", "--embedder", "hashing", "serve", "--port",
                             str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            raise AssertionError(proc.stderr.read1().decode() if proc.poll() is not None else "server did not start")
        assert health.json() == {"status": "ok", "suppliers": 0, "profile": "default@1", "model": "hashing-256-3"}
        assert health.headers["Server"] == "artisan-matcher"  # waitress, not Werkzeug's dev server
        assert requests.get(f"http://127.0.0.1:{port}/api/v1/requests", timeout=5).status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)
