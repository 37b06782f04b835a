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


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "test.db")
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
    db = tmp_path / "cli.db"

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, ["--db", str(db), "--embedder", "hashing", *args], input=input)

    run.db = db  # type: ignore[attr-defined]
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
