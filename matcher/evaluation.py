"""Offline evaluation against graded judgments (qrels TSV: request_id, supplier_id, grade)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from . import metrics
from .engine import Engine
from .errors import FieldProblem, FileFormatError, RecordError
from .schema import BuyerRequest

Qrels = dict[str, dict[str, int]]


def load_qrels(path: str | Path) -> Qrels:
    """Read a TSV with header request_id, supplier_id, grade (0-3)."""
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(str(path), "file not found")
    rows = list(csv.reader(path.read_text("utf-8").splitlines(), delimiter="\t"))
    if not rows or [c.strip() for c in rows[0]] != ["request_id", "supplier_id", "grade"]:
        raise FileFormatError(path.name, "header must be: request_id<TAB>supplier_id<TAB>grade")
    qrels: Qrels = {}
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != 3 or row[2].strip() not in {"0", "1", "2", "3"}:
            problems.append(FieldProblem("grade", "must be 0, 1, 2 or 3 after two ids", number, path.name))
            continue
        qrels.setdefault(row[0].strip(), {})[row[1].strip()] = int(row[2])
    if problems:
        raise RecordError(problems)
    return qrels


@dataclass
class RequestScore:
    request_id: str
    ndcg5: float
    ndcg10: float
    p5: float
    r10: float
    rr: float
    ap: float


def evaluate(engine: Engine, requests: list[BuyerRequest], qrels: Qrels,
             weights: dict[str, float] | None = None) -> list[RequestScore]:
    """Per-request metrics for every request that has at least one positive judgment.

    ``weights``, when given, replace the profile's and the requests' weights (ablations).
    """
    out = []
    n_suppliers = engine.store.count_suppliers()
    for request in requests:
        judged = qrels.get(str(request.request_id), {})
        if not any(g > 0 for g in judged.values()):
            continue
        if weights is not None:
            request = request.model_copy(update={"weights": None})
        result = engine.match(request, top_k=n_suppliers, include_ineligible=True, weights=weights)
        ranking = [m.supplier_id for m in (result.matches or result.near_misses)]
        out.append(RequestScore(
            request_id=str(request.request_id),
            ndcg5=metrics.ndcg_at_k(ranking, judged, 5),
            ndcg10=metrics.ndcg_at_k(ranking, judged, 10),
            p5=metrics.precision_at_k(ranking, judged, 5),
            r10=metrics.recall_at_k(ranking, judged, 10),
            rr=metrics.reciprocal_rank(ranking, judged),
            ap=metrics.average_precision(ranking, judged),
        ))
    return out


def summary(scores: list[RequestScore]) -> dict[str, float]:
    fields = ["ndcg5", "ndcg10", "p5", "r10", "rr", "ap"]
    return {f: round(mean(getattr(s, f) for s in scores), 4) if scores else 0.0 for f in fields}
