"""Demand as the clusters see it: every stored request scored once by the engine, per cluster and family.

Definitions (the report states them too):

- A request is **addressed to** cluster *c* in family *f* when it names family *f* (from its products,
  HS codes or text: the engine's ``RequestFeatures.families``) and at least one workshop of *c* makes *f*.
  A request naming two families the cluster makes counts once in each. A request addressed to no
  cluster is listed apart (``outside``).
- A workshop **reaches** a request when it is eligible (meets every must-have) and makes the family.
  The request is **reachable** by *c* in *f* when a workshop of *c* reaches it.
- Status: **unmet** (not reachable), **under-met** (reachable, but no reaching workshop can make the
  quantity in the buyer's window alone), **met** (one can). Capacity in the window is the engine's
  rule in whole pieces: ``floor(monthly_capacity × window_days / 30)``, the window being the request's
  ``max_lead_time_days`` or the profile's default.
- For an unmet request, a workshop is **one step away** with certification *X* when it makes the
  family and *X* is the only must-have it misses.

The request is scored against the catalogue as it is now, not as it was when the request came in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matcher.consortium.candidates import capacity_in_window
from matcher.features import supplier_features

QTY_BANDS = ((1, "1-99"), (100, "100-499"), (500, "500-1 999"), (2000, "2 000-9 999"), (10_000, "10 000+"))
PRICE_BANDS = ((0.0, "under 10 EUR"), (10.0, "10-24.99 EUR"), (25.0, "25-49.99 EUR"), (50.0, "50-99.99 EUR"),
               (100.0, "100 EUR or more"))
NO_CEILING = "no ceiling"


def band(value: float, bands: tuple[tuple[Any, str], ...]) -> str:
    return [label for low, label in bands if value >= low][-1]


def price_band(ceiling: float | None) -> str:
    return NO_CEILING if ceiling is None else band(ceiling, PRICE_BANDS)


@dataclass
class Cluster:
    """A cluster's workshops (index positions) and what they have."""

    name: str
    positions: np.ndarray
    families: list[set[str]]
    certifications: list[set[str]]
    practices: list[set[str]]
    languages: list[set[str]]
    monthly: np.ndarray

    def makers(self, family: str) -> np.ndarray:
        """Positions (into ``positions``) of the workshops that make ``family``."""
        return np.array([i for i, f in enumerate(self.families) if family in f], dtype=int)


def clusters_of(index: Any, store: Any, only: str | None = None) -> list[Cluster]:
    """Every named cluster of the catalogue (workshops without a cluster belong to none), or the one asked.

    Records are read from ``store`` a batch at a time; positions are those of ``index``."""
    members: dict[str, list[tuple[int, Any, set[str]]]] = {}
    for batch, _ in store.supplier_batches():
        named = [s for s in batch if s.cluster and (only is None or s.cluster.casefold() == only.casefold())]
        for s, pos in zip(named, index.positions([s.supplier_id for s in named]), strict=True):
            if pos >= 0:
                members.setdefault(s.cluster, []).append((int(pos), supplier_features(s), set(s.languages)))
    out = []
    for name in sorted(members):
        rows = members[name]
        pos = np.array([p for p, _, _ in rows], dtype=int)
        out.append(Cluster(name, pos, [f.families for _, f, _ in rows], [f.certifications for _, f, _ in rows],
                           [f.sustainability for _, f, _ in rows], [langs for _, _, langs in rows],
                           index.columns_["capacity"]["monthly"][pos]))
    return out


@dataclass
class Row:
    """One request as seen by one cluster in one family."""

    request_id: str
    buyer_name: str
    created_at: str
    cluster: str
    family: str
    quantity: int
    window_days: int
    ceiling: float | None
    language: str
    required: list[str]
    preferred: list[str]
    practices: list[str]
    status: str  # met, under-met, unmet
    reaching: int
    single_capacity: int
    joint_capacity: int
    lacking: list[str] = field(default_factory=list)  # must-haves no maker of the cluster meets
    one_step: dict[str, list[str]] = field(default_factory=dict)  # certification -> workshops one step away

    @property
    def qty_band(self) -> str:
        return band(self.quantity, QTY_BANDS)

    @property
    def price_band(self) -> str:
        return price_band(self.ceiling)


@dataclass
class Outside:
    request_id: str
    families: list[str]
    quantity: int


def rows_for(scored: Any, created_at: str, clusters: list[Cluster]) -> tuple[list[Row], Outside | None]:
    """The rows of one scored request (``ScoredRequest``) for every cluster that makes a family it names."""
    request, rf = scored.request, scored.context.features
    window = scored.context.window_days
    cap = capacity_in_window(scored.index.columns_["capacity"]["monthly"], window)
    ids = scored.index.ids_
    out: list[Row] = []
    for c in clusters:
        for family in rf.families:
            makers = c.makers(family)
            if not len(makers):
                continue
            pos = c.positions[makers]
            reach = pos[scored.eligible[pos]]
            single = int(cap[reach].max()) if len(reach) else 0
            joint = int(cap[reach].sum())
            status = "unmet" if not len(reach) else "under-met" if single < request.quantity else "met"
            row = Row(str(request.request_id), request.buyer_name, created_at, c.name, family, request.quantity,
                      round(window), request.max_unit_price_eur, rf.language or "?", list(rf.required_certifications),
                      list(rf.preferred_certifications), list(rf.sustainability), status, len(reach), single, joint)
            if status == "unmet":
                missing = np.array([g.missing[pos] for g in scored.gates]).reshape(len(scored.gates), len(pos))
                row.lacking = [g.key for g, m in zip(scored.gates, missing, strict=False) if m.all()]
                alone = missing.sum(axis=0) == 1
                for g, m in zip(scored.gates, missing, strict=False):
                    if g.key.startswith("certification:") and (m & alone).any():
                        row.one_step[g.key.split(":", 1)[1]] = sorted(str(ids[p]) for p in pos[m & alone])
            out.append(row)
    outside = None if out else Outside(str(request.request_id), list(rf.families), request.quantity)
    return out, outside
