"""What a pin holds: every sample request matched against the sample suppliers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def snapshot(db: Path, embedder: str, full: bool) -> dict[str, Any]:
    from matcher.engine import Engine
    from matcher.schema import BuyerRequest
    from matcher.store import Store

    store = Store(db)
    engine = Engine(store, embedder=embedder)
    engine.import_file(DATA / "suppliers.csv", "supplier")
    out: dict[str, Any] = {}
    for line in (DATA / "requests.jsonl").read_text("utf-8").splitlines():
        request = BuyerRequest(**json.loads(line))
        k = 100 if full else 10
        result = engine.match(request, top_k=k, include_ineligible=full)
        rows = result.matches or result.near_misses
        entry: dict[str, Any] = {
            "ranking": [m.supplier_id for m in rows],
            "eligible": [m.eligible for m in rows],
            "scores": [round(m.score, 4) for m in rows],
            "message": result.message,
            "n_eligible": result.n_eligible,
        }
        if full:
            top = rows[:10]
            entry["factors"] = [{f: [v.score, v.weight, v.contribution] for f, v in m.factors.items()} for m in top]
            entry["reasons"] = [[getattr(r, "text", r) for r in m.reasons] for m in top]
            entry["lacks"] = [m.lacks for m in rows]
        out[str(request.request_id)] = entry
    store.close()
    return out
