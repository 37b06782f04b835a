"""Judgment sets: requests with their qrels, twins and no-match list, read and checked together.

A set is what one evaluation row is judged against: the clean sample (``data/eval``), a subset
folder (``data/eval/noisy``), fair outcomes appended to either. Judgments for requests the set does
not contain are dropped and listed (``dropped``), never silently. :func:`evaluate_subset` is the one
way to score a profile or a weight vector on a set, so that several sets can be reported side by
side and other comparisons (another engine configuration) can reuse it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matcher.engine import Engine
from matcher.errors import FileFormatError, InputError
from matcher.evaluation.data import MergedQrels, Qrels, Run, load_no_match, load_twins, merge_qrels
from matcher.evaluation.runs import Context, SystemResult, data_hash, evaluate_run, load_context, weighted_run
from matcher.io.importer import load_requests
from matcher.profiles import Profile
from matcher.schema import BuyerRequest

SUBSET_FILES = ("requests.jsonl", "qrels.tsv", "twins.tsv", "no_match.txt")  # the last two optional


@dataclass
class JudgmentSet:
    name: str
    requests: list[BuyerRequest]
    merged: MergedQrels
    qrels: Qrels  # only requests of ``requests``
    twins: list[tuple[str, str]] = field(default_factory=list)
    no_match: set[str] = field(default_factory=set)
    dropped: dict[str, int] = field(default_factory=dict)  # request id -> judgments dropped (not a request here)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def request_ids(self) -> list[str]:
        return [str(r.request_id) for r in self.requests]

    def summary(self) -> dict[str, object]:
        """What was read and what was left out, for --json and reports."""
        return {"name": self.name, "sources": self.sources, "requests": len(self.requests),
                "judgments": sum(len(v) for v in self.qrels.values()), "conflict_rule": self.merged.rule,
                "conflicts_resolved": [str(c) for c in self.merged.conflicts],
                "dropped_judgments": sum(self.dropped.values()), "dropped_request_ids": sorted(self.dropped)}


def shown_path(path: str | Path | None) -> str:
    """``path`` relative to the working directory when it lies below it (as recorded in profiles)."""
    if not path:
        return ""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_judgment_set(name: str, requests_file: str | Path, qrels_files: list[str | Path],
                      twins_file: str | Path | None = None, no_match_file: str | Path | None = None,
                      on_conflict: str = "refuse") -> JudgmentSet:
    requests = load_requests(requests_file)
    merged = merge_qrels(list(qrels_files), on_conflict)
    ids = {str(r.request_id) for r in requests}
    kept = {rid: grades for rid, grades in merged.qrels.items() if rid in ids}
    dropped = {rid: len(grades) for rid, grades in merged.qrels.items() if rid not in ids}
    sources = {"requests": shown_path(requests_file), "qrels": " + ".join(shown_path(p) for p in qrels_files),
               "twins": shown_path(twins_file), "no_match": shown_path(no_match_file)}
    return JudgmentSet(name, requests, merged, kept, load_twins(twins_file) if twins_file else [],
                       load_no_match(no_match_file) if no_match_file else set(), dropped, sources)


def load_subset(spec: str, on_conflict: str = "refuse") -> JudgmentSet:
    """``NAME=FOLDER`` (or a folder, named after it) holding requests.jsonl and qrels.tsv, and
    optionally twins.tsv and no_match.txt."""
    name, _, folder = spec.rpartition("=")
    path = Path(folder)
    name = name or path.name
    if not path.is_dir():
        raise FileFormatError(folder, f"subset '{name}': not a folder (expected {', '.join(SUBSET_FILES)})")
    for required in SUBSET_FILES[:2]:
        if not (path / required).is_file():
            raise FileFormatError(str(path / required), f"subset '{name}': file not found")
    optional = [path / f if (path / f).is_file() else None for f in SUBSET_FILES[2:]]
    return load_judgment_set(name, path / "requests.jsonl", [path / "qrels.tsv"], optional[0], optional[1],
                             on_conflict)


def twin_groups(ids: list[str], twins: list[tuple[str, str]]) -> dict[str, int]:
    """Group number of every id: twins (and chains of twins) share one, found as connected
    components of the twin graph (scipy); an id without twins is a group of its own."""
    position = {rid: i for i, rid in enumerate(sorted(set(ids)))}
    edges = [(position[a], position[b]) for a, b in twins if a in position and b in position]
    n = len(position)
    rows, cols = [e[0] for e in edges], [e[1] for e in edges]
    graph = coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return {rid: int(labels[i]) for rid, i in position.items()}


@dataclass
class SubsetEvaluation:
    judgments: JudgmentSet
    context: Context
    run: Run
    result: SystemResult
    data_hash: str


def evaluate_subset(engine: Engine, judgments: JudgmentSet, profile: Profile | None = None,
                    weights: dict[str, float] | None = None, name: str | None = None,
                    seed: int = 0, run: Run | None = None) -> SubsetEvaluation:
    """Score ``engine`` (with ``profile``, or fixed ``weights``; or a given ``run``) on one judgment set."""
    if not judgments.requests:
        raise InputError(f"judgment set '{judgments.name}': no requests")
    ctx = load_context(engine, judgments.requests, judgments.qrels, judgments.twins, judgments.no_match, profile)
    run = run or weighted_run(ctx.tables, name or judgments.name, weights)
    return SubsetEvaluation(judgments, ctx, run, evaluate_run(run, ctx, seed),
                            data_hash(engine, judgments.requests, judgments.qrels))
