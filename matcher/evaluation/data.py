"""Evaluation files in standard shapes: qrels and runs as TSV, twins, no-match lists.

qrels: ``request_id<TAB>supplier_id<TAB>grade`` (0-3).
runs:  ``request_id<TAB>supplier_id<TAB>rank<TAB>score<TAB>eligible``; a request whose rows
are all ``eligible = 0`` is one the system answered with "no match". TREC run files
(``qid Q0 docid rank score tag``, whitespace-separated) are read too.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from matcher.errors import FieldProblem, FileFormatError, InputError, RecordError

Qrels = dict[str, dict[str, int]]


@dataclass
class Run:
    """One system's answer for every request: a full ranking, best first."""

    name: str
    rankings: dict[str, list[str]]
    scores: dict[str, list[float]] = field(default_factory=dict)
    # How many leading suppliers the system offers as matches (the eligible ones);
    # 0 means it answered "no match". Missing: all of them.
    n_matches: dict[str, int] = field(default_factory=dict)

    def says_no_match(self, request_id: str) -> bool:
        return self.n_matches.get(request_id, -1) == 0


def _lines(path: str | Path) -> tuple[Path, list[str]]:
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(str(path), "file not found")
    try:
        return path, path.read_text("utf-8").splitlines()
    except UnicodeDecodeError:
        raise FileFormatError(path.name, "not UTF-8 text") from None


def read_qrels_rows(path: str | Path) -> list[tuple[str, str, int, int]]:
    """Every judgment row of a qrels TSV as (request_id, supplier_id, grade, row number), file order."""
    path, lines = _lines(path)
    rows = list(csv.reader(lines, delimiter="\t"))
    if not rows or [c.strip() for c in rows[0]] != ["request_id", "supplier_id", "grade"]:
        raise FileFormatError(path.name, "header must be: request_id<TAB>supplier_id<TAB>grade")
    out, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != 3 or row[2].strip() not in {"0", "1", "2", "3"}:
            problems.append(FieldProblem("grade", "must be 0, 1, 2 or 3 after two ids", number, path.name))
            continue
        out.append((row[0].strip(), row[1].strip(), int(row[2]), number))
    if problems:
        raise RecordError(problems)
    return out


def load_qrels(path: str | Path) -> Qrels:
    """Read a TSV with header request_id, supplier_id, grade (0-3); two grades for one pair are refused."""
    return merge_qrels([path]).qrels


CONFLICT_RULES = ("refuse", "first", "last", "max")


@dataclass
class Conflict:
    """Two rows grading the same (request, supplier) differently: (file, row, grade) each."""

    request_id: str
    supplier_id: str
    first: tuple[str, int, int]
    second: tuple[str, int, int]

    def __str__(self) -> str:
        (f1, r1, g1), (f2, r2, g2) = self.first, self.second
        return f"({self.request_id}, {self.supplier_id}): {f1} row {r1} grade {g1}, {f2} row {r2} grade {g2}"


@dataclass
class MergedQrels:
    """Judgments read from one or more files, and how rows for the same pair were combined."""

    qrels: Qrels
    files: list[str]
    rule: str
    conflicts: list[Conflict] = field(default_factory=list)  # resolved by ``rule`` (never with "refuse")
    repeated: int = 0  # rows repeating a pair with the same grade (harmless)


def merge_qrels(paths: list[str | Path], rule: str = "refuse") -> MergedQrels:
    """Read qrels files in order; one grade per (request, supplier).

    Two rows (in one file or across files) giving the same pair different grades are a conflict.
    ``rule``: ``refuse`` (default) raises an InputError naming every conflict's files, rows and
    grades; ``first`` keeps the earliest row, ``last`` the latest (a later file overrides an earlier
    one), ``max`` the highest grade. Resolved conflicts are returned so that callers report them.
    """
    if rule not in CONFLICT_RULES:
        raise InputError(f"conflict rule must be one of {', '.join(CONFLICT_RULES)} (got '{rule}')")
    qrels: Qrels = {}
    source: dict[tuple[str, str], tuple[str, int, int]] = {}
    merged = MergedQrels(qrels, [str(p) for p in paths], rule)
    for path in paths:
        name = Path(path).name
        for rid, sid, grade, row in read_qrels_rows(path):
            before = source.get((rid, sid))
            if before is None:
                source[(rid, sid)] = (name, row, grade)
                qrels.setdefault(rid, {})[sid] = grade
                continue
            if before[2] == grade:
                merged.repeated += 1
                continue
            merged.conflicts.append(Conflict(rid, sid, before, (name, row, grade)))
            if rule == "last" or (rule == "max" and grade > before[2]):
                source[(rid, sid)] = (name, row, grade)
                qrels[rid][sid] = grade
    if rule == "refuse" and merged.conflicts:
        shown = "; ".join(str(c) for c in merged.conflicts[:10])
        more = f" (and {len(merged.conflicts) - 10} more)" if len(merged.conflicts) > 10 else ""
        raise InputError(f"{len(merged.conflicts)} conflicting grade(s): {shown}{more}; "
                         "fix the files or choose a rule: first, last or max")
    return merged


def load_twins(path: str | Path) -> list[tuple[str, str]]:
    """Pairs of the same brief in two languages (TSV header request_id, twin_id)."""
    path, lines = _lines(path)
    rows = [r for r in csv.reader(lines, delimiter="\t") if r]
    if not rows or [c.strip() for c in rows[0]] != ["request_id", "twin_id"]:
        raise FileFormatError(path.name, "header must be: request_id<TAB>twin_id")
    bad = [FieldProblem("twin_id", "two ids expected", n, path.name) for n, r in enumerate(rows[1:], 2) if len(r) != 2]
    if bad:
        raise RecordError(bad)
    return [(a.strip(), b.strip()) for a, b in rows[1:]]


def load_no_match(path: str | Path) -> set[str]:
    """Request ids, one per line; '#' starts a comment."""
    _, lines = _lines(path)
    return {line.split("#")[0].strip() for line in lines} - {""}


def write_run(run: Run, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        out.writerow(["request_id", "supplier_id", "rank", "score", "eligible"])
        for rid, ranking in run.rankings.items():
            scores = run.scores.get(rid, [0.0] * len(ranking))
            offered = run.n_matches.get(rid, len(ranking))
            for rank, (sid, s) in enumerate(zip(ranking, scores, strict=True), start=1):
                out.writerow([rid, sid, rank, f"{s:.6f}", int(rank <= offered)])
    return path


def read_run(path: str | Path) -> Run:
    """Our run TSV (with header) or a TREC run file; ranks are re-derived from the rank column."""
    path, lines = _lines(path)
    rows: dict[str, list[tuple[int, str, float, bool]]] = {}
    header = lines[0].split("\t") if lines else []
    trec = header[:2] != ["request_id", "supplier_id"]
    problems = []
    for number, line in enumerate(lines if trec else lines[1:], start=1 if trec else 2):
        if not line.strip():
            continue
        cells = line.split() if trec else line.split("\t")
        try:
            if trec:
                rid, _, sid, rank, value = cells[:5]
                eligible = True
            else:
                rid, sid, rank, value = cells[:4]
                eligible = cells[4].strip() != "0" if len(cells) > 4 else True
            rows.setdefault(rid, []).append((int(rank), sid, float(value), eligible))
        except ValueError:
            problems.append(FieldProblem("rank", "rank must be an integer and score a number", number, path.name))
    if problems:
        raise RecordError(problems)
    run = Run(name=path.stem, rankings={})
    for rid, items in rows.items():
        items.sort(key=lambda t: (t[0], t[1]))
        run.rankings[rid] = [sid for _, sid, _, _ in items]
        run.scores[rid] = [v for _, _, v, _ in items]
        run.n_matches[rid] = sum(e for *_, e in items)
    return run


def format_qrels(qrels: Qrels) -> str:
    """Qrels as the TSV ``load_qrels`` reads, sorted by request then supplier."""
    lines = ["request_id\tsupplier_id\tgrade"]
    lines += [f"{q}\t{s}\t{g}" for q in sorted(qrels) for s, g in sorted(qrels[q].items())]
    return "\n".join(lines) + "\n"


def write_qrels(qrels: Qrels, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_qrels(qrels), "utf-8")
    return path
