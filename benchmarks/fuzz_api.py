"""schemathesis against a real server, with every role's key, over all phases (examples, coverage,
fuzzing, stateful) and every check; prints each role's figures and exits 1 on any failure.

    python benchmarks/fuzz_api.py                      # the longer run (100 examples per operation)
    python benchmarks/fuzz_api.py --max-examples 5     # what CI runs (tests/test_api_fuzz.py)

The server is ``matcher serve`` on a free loopback port, a fresh database with the sample sheet
and the deterministic hashing embedder. Cross-field rules the JSON Schema cannot state are told
to schemathesis by tests/schemathesis_hooks.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from serverkit import free_port, keys_for, matcher, start_server

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("team", "buyer", "evaluator", "supplier")
PHASES = "examples,coverage,fuzzing,stateful"


def run_role(base: str, role: str, key: str, max_examples: int, seed: int, report: Path) -> dict[str, object]:
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(ROOT / "tests" / "schemathesis_hooks.py")}
    started = time.monotonic()
    out = subprocess.run(
        [str(Path(sys.executable).with_name("schemathesis")), "run", f"{base}/api/v1/openapi.json",
         "-H", f"Authorization: Bearer {key}", "--checks", "all", "--phases", PHASES,
         "--max-examples", str(max_examples), "--seed", str(seed), "--workers", "1", "--request-timeout", "120",
         "--max-response-time", "60",
         "--suppress-health-check", "all", "--report", "junit", "--report-dir", str(report)],
        capture_output=True, text=True, env=env, cwd=ROOT)
    summary = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-500:]
    cases = re.search(r"(\d+) generated", out.stdout)
    return {"role": role, "exit": out.returncode, "cases": int(cases.group(1)) if cases else 0,
            "seconds": round(time.monotonic() - started, 1), "summary": summary.strip("= "),
            "output": out.stdout if out.returncode else ""}


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--parallel", action="store_true", help="run the roles at the same time")
    args = parser.parse_args(argv)
    print(f"machine before: {uptime()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "fuzz.db")
        matcher(db, "import", "suppliers", str(ROOT / "data" / "suppliers.csv"))
        keys = keys_for(db, supplier="BAT-002")
        port = free_port()
        server = start_server(db, port)
        roles = args.roles.split(",")
        try:
            with ThreadPoolExecutor(len(roles) if args.parallel else 1) as pool:  # one schemathesis per role
                results = list(pool.map(lambda role: run_role(f"http://127.0.0.1:{port}", role, keys[role],
                                                              args.max_examples, args.seed,
                                                              Path(tmp) / f"report-{role}"), roles))
            for result in results:
                print(f"{result['role']:10} {result['cases']:6} cases {result['seconds']:7.1f} s  "
                      f"{result['summary']}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"machine after: {uptime()}")
    failed = [r for r in results if r["exit"] != 0]
    for r in failed:
        print(r["output"], file=sys.stderr)
    print(json.dumps({"max_examples": args.max_examples, "seed": args.seed, "phases": PHASES,
                      "roles": [{k: v for k, v in r.items() if k != "output"} for r in results]}))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
