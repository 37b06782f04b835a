"""Shared fixtures: a temporary database, a deterministic fake embedder, the CLI runner."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from matcher.embeddings import Embedder, HashingEmbedder
from matcher.engine import Engine
from matcher.store import Store
from matcher_cli import main
from tests.dbs import PG, database_url, drop_schemas

pytest_plugins = ["tests.browser"]  # Chromium fixtures: browser, page

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT / "benchmarks"))  # the naive reference scorer is a test oracle


class CountingEmbedder(Embedder):
    """Hashing embedder that records every text it is asked to embed."""

    def __init__(self) -> None:
        self.inner = HashingEmbedder(dim=64)
        self.name, self.dim = "fake-64", 64
        self.seen: list[str] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.seen.extend(texts)
        return self.inner.encode(texts)


@pytest.fixture
def fake_embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture(scope="session", autouse=True)
def _postgres_schemas():
    yield
    drop_schemas()


@pytest.fixture
def store(tmp_path: Path):
    s = Store(database_url(tmp_path, "test.db"))
    yield s
    s.close()


@pytest.fixture
def engine(store: Store, fake_embedder: CountingEmbedder) -> Engine:
    return Engine(store, embedder=fake_embedder)


@pytest.fixture
def sample_engine(engine: Engine) -> Engine:
    engine.import_file(DATA / "suppliers.csv", "supplier")
    return engine


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner, tmp_path: Path):
    """Run `matcher --db <tmp> --embedder hashing ARGS...`."""
    db = database_url(tmp_path, "cli.db")

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, ["--db", str(db), "--embedder", "hashing", *args], input=input)

    run.db = db if PG else Path(db)  # type: ignore[attr-defined]
    run.dir = tmp_path  # type: ignore[attr-defined]
    return run


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


HEADER = ("supplier_id,name,country,description,products,monthly_capacity,lead_time_days,"
          "price_min_eur,price_max_eur,certifications")


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


# -- web: app factory, test client, keys, a real server on loopback ----------
@pytest.fixture
def app(tmp_path: Path, fake_embedder: CountingEmbedder):
    from api import create_app

    app = create_app({"TESTING": True, "DATABASE": database_url(tmp_path, "web.db"), "EMBEDDER": fake_embedder,
                      "SECRET_KEY": "test", "MAX_CONTENT_LENGTH": 256 * 1024})
    yield app
    app.extensions["matcher"].stop()
    engine = app.extensions.pop("test_engine", None)
    if engine is not None:
        engine.store.close()


def engine_of(app) -> Engine:
    """An engine on the app's database and shared model and index (as a request gets), for test setup."""
    if "test_engine" not in app.extensions:
        r = app.extensions["matcher"]
        app.extensions["test_engine"] = Engine(r.open_store(), profile=r.profile, embedder=r.embedder,
                                               indexes=r.indexes)
    return app.extensions["test_engine"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def keys(app) -> dict[str, str]:
    """Tokens for every role, two buyers; the sample suppliers are loaded."""
    from matcher.keys import create_key

    engine = engine_of(app)
    engine.import_file(DATA / "suppliers.csv", "supplier")
    return {
        "team": create_key(engine.store, "team")[1],
        "buyer": create_key(engine.store, "buyer", "Maison Aurès")[1],
        "other": create_key(engine.store, "buyer", "Copper & Co")[1],
        "evaluator": create_key(engine.store, "evaluator")[1],
    }


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def wait_job(get, job: dict, headers: dict[str, str] | None = None, timeout: float = 60.0) -> dict:
    """Poll a background job (``get``: a test client's or requests' get) until it is done or failed."""
    import time

    deadline = time.monotonic() + timeout
    while job["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"job {job['job_id']} still {job['state']} after {timeout} s"
        time.sleep(0.05)
        response = get(f"/api/v1/jobs/{job['job_id']}", headers=headers)
        job = response.get_json() if hasattr(response, "get_json") else response.json()
    return job


@pytest.fixture
def live_server(app):
    """The app on waitress, on a free loopback port, in a background thread."""
    import threading

    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.task_dispatcher.shutdown(timeout=5)  # let running requests finish before sockets close
    server.close()
    thread.join(timeout=5)
