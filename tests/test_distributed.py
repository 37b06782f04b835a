"""Shortlists over supplier blocks on a local Dask cluster give the single-process results."""

import pytest

from matcher import distributed
from matcher.embeddings import HashingEmbedder
from matcher.engine import Engine
from matcher.io.importer import load_requests

from .conftest import DATA

distributed_pkg = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed_pkg.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as c:
        yield c


@pytest.fixture
def sample(store):
    engine = Engine(store, embedder=HashingEmbedder(dim=64))  # picklable: workers load it themselves
    engine.import_file(DATA / "suppliers.csv", "supplier")
    return engine


def dumps(results):
    return [(r.request_id, res.model_dump()) for r, res in results]


def test_blocks_on_dask_give_the_single_process_results(sample, cluster):
    requests = load_requests(DATA / "requests.jsonl")
    with distributed_pkg.Client(cluster) as client:
        for include in (False, True):
            one = sample.match_all(requests, top_k=8, include_ineligible=include)
            split = distributed.match_all(sample, requests, client, top_k=8, include_ineligible=include, block=9)
            assert dumps(split) == dumps(one)
    assert len(sample.store.supplier_blocks(9)) == 5  # 42 suppliers: 5 tasks


def test_shortlist_command_with_dask(sample, cluster, runner, tmp_path):
    from matcher_cli import main

    db = sample.store.path
    args = ["--db", db, "--embedder", "hashing", "shortlist", "--requests", str(DATA / "requests.jsonl")]
    plain = runner.invoke(main, [*args, "--out", str(tmp_path / "a.zip")])
    dask = runner.invoke(main, [*args, "--out", str(tmp_path / "b.zip"), "--dask", cluster.scheduler_address,
                                "--dask-block", "7"])
    assert plain.exit_code == 0 and dask.exit_code == 0, dask.output
    assert dask.output.replace("b.zip", "a.zip") == plain.output
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes() or \
        _tables(tmp_path / "a.zip") == _tables(tmp_path / "b.zip")


def _tables(path):
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}
