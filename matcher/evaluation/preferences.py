"""Graded pairwise preferences, a second label set, and its agreement with grades and rankings.

``pairs.tsv``: ``request_id, preferred, other, strength, note`` (strength 0 = tie, 1 slight,
2 clear, 3 the other is unusable); see ``data/eval/preferences/README.md`` for how it was made.

Agreement of a source (graded qrels, or a system's ranking) with the preferences, over the
non-tie preference pairs "a before b" of the requests the source covers:

- concordant C: the source puts a above b; discordant D: b above a; not separated T: the
  source does not order them (equal grades; a ranking always separates);
- agreement = C / (C + D + T): the share of preference pairs the source orders the same way
  (a pair the source leaves tied does not count as agreeing);
- tau = (C - D) / (C + D + T): Kendall's tau-a restricted to the preference pairs, in [-1, 1];
- weighted agreement and weighted tau: the same sums with every pair weighted by its strength;
- tie pairs (strength 0): the share of them the source ties too (grades only: rankings never tie).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from matcher.errors import FieldProblem, FileFormatError, RecordError
from matcher.evaluation.data import Qrels, Run

HEADER = ["request_id", "preferred", "other", "strength"]


@dataclass(frozen=True)
class Preference:
    request_id: str
    preferred: str
    other: str
    strength: int  # 0 tie, 1-3


def load_preferences(path: str | Path) -> list[Preference]:
    """Read pairs.tsv; every bad row is reported with file, row and field."""
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(str(path), "file not found")
    rows = list(csv.reader(path.read_text("utf-8").splitlines(), delimiter="\t"))
    if not rows or [c.strip() for c in rows[0][:4]] != HEADER:
        raise FileFormatError(path.name, "header must start: request_id<TAB>preferred<TAB>other<TAB>strength")
    out, problems, seen = [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) < 4 or row[3].strip() not in {"0", "1", "2", "3"}:
            problems.append(FieldProblem("strength", "must be 0, 1, 2 or 3 after three ids", number, path.name))
            continue
        rid, a, b = (c.strip() for c in row[:3])
        key = (rid, *sorted((a, b)))
        if a == b or key in seen:
            problems.append(FieldProblem("other", "a pair names two different suppliers once per request",
                                         number, path.name))
            continue
        seen.add(key)
        out.append(Preference(rid, a, b, int(row[3])))
    if problems:
        raise RecordError(problems)
    return out


@dataclass
class Agreement:
    source: str
    concordant: float = 0
    discordant: float = 0
    not_separated: float = 0
    w_concordant: float = 0
    w_discordant: float = 0
    w_not_separated: float = 0
    ties: int = 0
    ties_kept: int = 0
    by_strength: dict[int, list[int]] = field(default_factory=dict)  # strength -> [C, D, T]
    requests: int = 0

    @property
    def pairs(self) -> int:
        return int(self.concordant + self.discordant + self.not_separated)

    def _ratio(self, num: float, den: float) -> float:
        return num / den if den else 0.0

    @property
    def agreement(self) -> float:
        return self._ratio(self.concordant, self.pairs)

    @property
    def tau(self) -> float:
        return self._ratio(self.concordant - self.discordant, self.pairs)

    @property
    def weighted_agreement(self) -> float:
        return self._ratio(self.w_concordant, self.w_concordant + self.w_discordant + self.w_not_separated)

    @property
    def weighted_tau(self) -> float:
        return self._ratio(self.w_concordant - self.w_discordant,
                           self.w_concordant + self.w_discordant + self.w_not_separated)

    def to_json(self) -> dict[str, object]:
        r = lambda x: round(x, 4)  # noqa: E731
        return {"source": self.source, "requests": self.requests, "pairs": self.pairs,
                "concordant": int(self.concordant), "discordant": int(self.discordant),
                "not_separated": int(self.not_separated), "agreement": r(self.agreement), "tau": r(self.tau),
                "weighted_agreement": r(self.weighted_agreement), "weighted_tau": r(self.weighted_tau),
                "tie_pairs": self.ties, "tie_pairs_tied_too": self.ties_kept,
                "by_strength": {str(s): dict(zip(("concordant", "discordant", "not_separated"), v, strict=True))
                                for s, v in sorted(self.by_strength.items())}}


def _agreement(source: str, prefs: list[Preference], covers: Callable[[str], bool],
               order: Callable[[Preference], int]) -> Agreement:
    """``order(p)``: +1 the source puts p.preferred above p.other, -1 below, 0 not separated."""
    out = Agreement(source)
    out.requests = len({p.request_id for p in prefs if covers(p.request_id)})
    for p in prefs:
        if not covers(p.request_id):
            continue
        sign = order(p)
        if p.strength == 0:
            out.ties += 1
            out.ties_kept += sign == 0
            continue
        counts = out.by_strength.setdefault(p.strength, [0, 0, 0])
        slot = 0 if sign > 0 else 1 if sign < 0 else 2
        counts[slot] += 1
        if slot == 0:
            out.concordant, out.w_concordant = out.concordant + 1, out.w_concordant + p.strength
        elif slot == 1:
            out.discordant, out.w_discordant = out.discordant + 1, out.w_discordant + p.strength
        else:
            out.not_separated, out.w_not_separated = out.not_separated + 1, out.w_not_separated + p.strength
    return out


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def grades_agreement(prefs: list[Preference], qrels: Qrels, request_ids: set[str],
                     source: str = "graded qrels") -> Agreement:
    """The graded judgments against the preferences (a supplier a request does not list grades 0)."""
    def order(p: Preference) -> int:
        grades = qrels.get(p.request_id, {})
        return _sign(grades.get(p.preferred, 0) - grades.get(p.other, 0))

    return _agreement(source, prefs, lambda rid: rid in request_ids, order)


def run_agreement(prefs: list[Preference], run: Run, source: str | None = None) -> Agreement:
    """A system's ranking against the preferences (requests the run ranks)."""
    positions = {rid: {sid: i for i, sid in enumerate(r)} for rid, r in run.rankings.items()}

    def order(p: Preference) -> int:
        pos = positions[p.request_id]
        last = len(pos)
        return _sign(pos.get(p.other, last) - pos.get(p.preferred, last))

    return _agreement(source or run.name, prefs, lambda rid: rid in positions, order)


def run_grades_agreement(run: Run, qrels: Mapping[str, Mapping[str, int]], request_ids: list[str],
                         source: str | None = None) -> Agreement:
    """A ranking against the graded qrels: every pair of suppliers with different grades in a
    request, the higher grade being 'preferred' (strength = grade difference)."""
    prefs = []
    for rid in request_ids:
        grades = qrels.get(rid, {})
        ids = run.rankings.get(rid, [])
        by_grade = [(grades.get(s, 0), s) for s in ids]
        prefs += [Preference(rid, a, b, ga - gb) for ga, a in by_grade for gb, b in by_grade if ga > gb]
    return run_agreement(prefs, run, source)


@dataclass
class LabelAgreement:
    """How the two label sets agree, and how each system's ranking agrees with each of them."""

    file: str
    n_pairs: int
    qrels_vs_preferences: Agreement
    systems_vs_preferences: list[Agreement]
    systems_vs_qrels: list[Agreement]
    dropped_requests: list[str]  # preference requests that are not in the evaluated requests

    def lines(self) -> list[str]:
        head = (f"{'':<44} {'pairs':>5} {'agree':>5} {'disag.':>6} {'tied':>5} {'agreement':>9} {'tau':>6} "
                f"{'w.agr.':>6} {'w.tau':>6}")

        def line(label: str, a: Agreement) -> str:
            return (f"{label[:44]:<44} {a.pairs:>5} {int(a.concordant):>5} {int(a.discordant):>6} "
                    f"{int(a.not_separated):>5} {a.agreement:>9.3f} {a.tau:>6.3f} {a.weighted_agreement:>6.3f} "
                    f"{a.weighted_tau:>6.3f}")

        q = self.qrels_vs_preferences
        out = [f"label agreement with {self.file} ({self.n_pairs} preference pairs; ties {q.ties}, of which "
               f"{q.ties_kept} have equal grades too):", head, line("graded qrels vs preferences", q)]
        out += [line(f"{a.source} vs preferences", a) for a in self.systems_vs_preferences]
        out += [line(f"{a.source} vs graded qrels (pairs of grades)", a) for a in self.systems_vs_qrels]
        by = ", ".join(f"strength {s}: {c}/{c + d + t} agree, {d} disagree, {t} tied"
                       for s, (c, d, t) in sorted(q.by_strength.items()))
        out.append(f"qrels vs preferences by strength: {by}")
        if self.dropped_requests:
            out.append(f"note: preferences for {len(self.dropped_requests)} request(s) not evaluated were left out: "
                       + ", ".join(self.dropped_requests))
        return out

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "pairs": self.n_pairs, "qrels_vs_preferences": self.qrels_vs_preferences.to_json(),
                "systems_vs_preferences": [a.to_json() for a in self.systems_vs_preferences],
                "systems_vs_qrels": [a.to_json() for a in self.systems_vs_qrels],
                "dropped_request_ids": self.dropped_requests}


def label_agreement(path: str | Path, qrels: Qrels, request_ids: list[str], judged_ids: list[str],
                    runs: list[Run]) -> LabelAgreement:
    """Everything :class:`LabelAgreement` reports, for the preference file at ``path``."""
    prefs = load_preferences(path)
    ids = set(request_ids)
    kept = [p for p in prefs if p.request_id in ids]
    return LabelAgreement(
        str(path), len(kept), grades_agreement(kept, qrels, ids),
        [run_agreement(kept, run) for run in runs],
        [run_grades_agreement(run, qrels, judged_ids) for run in runs],
        sorted({p.request_id for p in prefs} - ids))
