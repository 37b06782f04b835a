"""One thread setting for the encoder and the matrix products (matcher.threads)."""

import pytest
from threadpoolctl import threadpool_info

from matcher import threads
from matcher.embeddings import USEM3Embedder
from matcher.errors import ConfigError


def blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_configure_limits_blas_and_the_encoder_reads_it(monkeypatch):
    monkeypatch.delenv("MATCHER_THREADS", raising=False)
    before = threads.current()
    try:
        assert threads.configure(1) == 1 and blas_threads() == {1} and threads.current() == 1
        assert USEM3Embedder().threads is None  # decided when the model loads: threads.current()
        monkeypatch.setenv("MATCHER_THREADS", "2")
        assert threads.default(server=True) == 2 and threads.configure(server=True) == 2 and blas_threads() == {2}
        monkeypatch.delenv("MATCHER_THREADS")
        assert threads.default(server=True) == 1
    finally:
        threads.configure(before)


@pytest.mark.parametrize(("raw", "text"), [
    ("two", "MATCHER_THREADS must be a whole number of threads (got 'two')"),
    ("0", "MATCHER_THREADS must be at least 1 (got 0)"),
])
def test_bad_thread_counts_are_refused(monkeypatch, raw, text):
    monkeypatch.setenv("MATCHER_THREADS", raw)
    with pytest.raises(ConfigError) as info:
        threads.default()
    assert str(info.value) == text


def test_the_server_defaults_to_one_thread(monkeypatch, tmp_path):
    from api import create_app

    monkeypatch.delenv("MATCHER_THREADS", raising=False)
    before = threads.current()
    try:
        create_app({"DATABASE": str(tmp_path / "t.db"), "EMBEDDER": "hashing"})
        assert threads.current() == 1 and blas_threads() == {1}
    finally:
        threads.configure(before)
