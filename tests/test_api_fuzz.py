"""schemathesis with every role's key, all phases (examples, coverage, fuzzing, stateful) and every
check, against ``matcher serve`` in a subprocess: no failure. A bounded number of examples here;
``python benchmarks/fuzz_api.py`` is the longer run (notes/server.md has its figures)."""

import os
import sys

import pytest

from tests.conftest import ROOT
from tests.dbs import PG

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.skipif(bool(PG), reason="the API contract does not depend on the database; run once, on SQLite")
def test_schemathesis_finds_no_failure_for_any_role(capsys):
    import fuzz_api

    examples = os.environ.get("MATCHER_FUZZ_EXAMPLES", "3")
    code = fuzz_api.main(["--max-examples", examples, "--parallel"])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert out.out.count(" cases ") == 4
