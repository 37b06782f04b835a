"""The market report's tables (pandas), from the rows of :mod:`matcher.market.demand`.

Every table is a :class:`matcher.exports.tabular.Table`, written the same way to HTML and XLSX.
Shares are whole percentages (rounded half to even, as Python's ``round``).
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from matcher import vocab
from matcher.exports.tabular import Table
from matcher.fair.model import OUTCOME_GRADES
from matcher.market.demand import Cluster, Outside, Row

STATUSES = ("met", "under-met", "unmet")
KEY = ["cluster", "family"]


def frame(rows: list[Row]) -> pd.DataFrame:
    columns = [*Row.__dataclass_fields__, "qty_band", "price_band"]
    return pd.DataFrame([{**asdict(r), "qty_band": r.qty_band, "price_band": r.price_band} for r in rows],
                        columns=columns)


def pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def label(vocabulary: str, cid: str) -> str:
    return vocab.load(vocabulary).label(cid, "en")


def _counts(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = df.groupby(keys, sort=True)["status"].value_counts().unstack(fill_value=0)
    return out.reindex(columns=list(STATUSES), fill_value=0)


def status_table(df: pd.DataFrame, title: str = "Demand by family") -> Table:
    rows = []
    if len(df):
        counts = _counts(df, KEY)
        for (cluster, family), c in counts.iterrows():
            n = int(c.sum())
            rows.append([cluster, label("families", family), n, int(c["met"]), int(c["under-met"]), int(c["unmet"]),
                         pct(int(c["unmet"]) + int(c["under-met"]), n)])
    return Table(title, ["cluster", "family", "requests", "met", "under-met", "unmet", "% unmet or under-met"], rows)


def unmet_table(df: pd.DataFrame) -> Table:
    rows = []
    if len(df):
        keys = [*KEY, "qty_band", "price_band"]
        counts = _counts(df, keys)
        pieces = df.pivot_table(index=keys, columns="status", values="quantity", aggfunc="sum", fill_value=0)
        for key, c in counts.iterrows():
            if c["unmet"] + c["under-met"] == 0:
                continue
            p = pieces.loc[key]
            rows.append([key[0], label("families", key[1]), key[2], key[3], int(c.sum()), int(c["under-met"]),
                         int(c["unmet"]), int(p.get("under-met", 0)), int(p.get("unmet", 0))])
    return Table("Unmet and under-met demand", ["cluster", "family", "quantity", "price ceiling", "requests",
                                                "under-met", "unmet", "pieces under-met", "pieces unmet"], rows)


def min_cover(sets: list[set[str]]) -> int:
    """Fewest workshops that include one of each set (exact, CP-SAT; the sets are small)."""
    if not sets:
        return 0
    from ortools.sat.python import cp_model

    names = sorted(set().union(*sets))
    model = cp_model.CpModel()
    x = {n: model.new_bool_var(n) for n in names}
    for s in sets:
        model.add_bool_or([x[n] for n in sorted(s)])
    model.minimize(sum(x.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10.0
    if solver.solve(model) != cp_model.OPTIMAL:  # pragma: no cover - tiny models always close
        raise RuntimeError("set cover not solved to optimality")
    return round(solver.objective_value)


def requirements(df: pd.DataFrame, clusters: list[Cluster]) -> tuple[Table, list[str]]:
    """Certifications and practices required or preferred, the share of workshops with them, and what
    certifying more workshops would open; with one sentence per certification that would open requests."""
    rows, sentences = [], []
    by_name = {c.name: c for c in clusters}
    for (cluster, family), group in df.groupby(KEY, sort=True):
        c, n = by_name[cluster], len(group)
        makers = c.makers(family)
        items: dict[tuple[str, str], tuple[int, int]] = {}
        for kind, req_col, pref_col in (("certification", "required", "preferred"), ("practice", None, "practices")):
            for _, r in group.iterrows():
                for cid in (r[req_col] if req_col else []):
                    a, b = items.get((kind, cid), (0, 0))
                    items[(kind, cid)] = (a + 1, b)
                for cid in r[pref_col]:
                    a, b = items.get((kind, cid), (0, 0))
                    items[(kind, cid)] = (a, b + 1)
        for (kind, cid), (required, preferred) in sorted(items.items(), key=lambda kv: (-sum(kv[1]), kv[0])):
            held = c.certifications if kind == "certification" else c.practices
            have = sum(1 for i in makers if cid in held[i])
            opens: int | str = ""
            needed: int | str = ""
            if kind == "certification":
                openable = [set(r["one_step"][cid]) for _, r in group.iterrows()
                            if r["status"] == "unmet" and cid in r["one_step"]]
                opens, needed = len(openable), min_cover(openable)
            name = label("certifications" if kind == "certification" else "sustainability", cid)
            rows.append([cluster, label("families", family), kind, name, n, required, pct(required, n), preferred,
                         pct(preferred, n), have, len(makers), opens, needed])
            if opens:
                sentences.append(f"{name}: required by {pct(required, n)}% of {label('families', family).lower()} "
                                 f"requests; {have} of {len(makers)} {cluster} workshops have it; certifying "
                                 f"{needed} more would open {opens} request(s)")
    columns = ["cluster", "family", "kind", "name", "requests", "required", "% required", "preferred", "% preferred",
               "workshops with it", "workshops in family", "unmet requests it would open",
               "workshops to certify for that"]
    return Table("Certifications and practices", columns, rows), sentences


def capacity_table(df: pd.DataFrame, clusters: list[Cluster]) -> Table:
    rows = []
    by_name = {c.name: c for c in clusters}
    for (cluster, family), g in df.groupby(KEY, sort=True):
        makers = by_name[cluster].makers(family)
        monthly = by_name[cluster].monthly[makers]
        reach = g[g["status"] != "unmet"]
        beyond_all = reach[reach["joint_capacity"] < reach["quantity"]]
        rows.append([cluster, label("families", family), len(g), int(g["quantity"].median()), int(g["quantity"].max()),
                     int(monthly.max()), int(monthly.sum()), int((reach["single_capacity"] < reach["quantity"]).sum()),
                     len(beyond_all), int((beyond_all["quantity"] - beyond_all["joint_capacity"]).sum())])
    columns = ["cluster", "family", "requests", "median quantity", "largest quantity", "largest workshop per month",
               "all workshops per month", "beyond any single eligible workshop",
               "beyond the eligible workshops together", "pieces short (together)"]
    return Table("Capacity against demand", columns, rows)


def languages_table(df: pd.DataFrame, clusters: list[Cluster]) -> Table:
    rows = []
    for c in clusters:
        asked = df[df["cluster"] == c.name].drop_duplicates("request_id")
        for language, n in asked["language"].value_counts().sort_index().items():
            speak = sum(1 for langs in c.languages if language in langs)
            rows.append([c.name, language, int(n), pct(int(n), len(asked)), speak, len(c.languages),
                         "no workshop speaks it" if speak == 0 else ""])
    return Table("Languages", ["cluster", "language", "requests", "% of requests", "workshops speaking it",
                               "workshops", "gap"], rows)


def comparison_table(current: pd.DataFrame, previous: pd.DataFrame) -> Table:
    a = _counts(current, KEY) if len(current) else pd.DataFrame(columns=list(STATUSES))
    b = _counts(previous, KEY) if len(previous) else pd.DataFrame(columns=list(STATUSES))
    rows = []
    for key in sorted(set(a.index) | set(b.index)):
        ca = a.loc[key] if key in a.index else pd.Series(0, index=list(STATUSES))
        cb = b.loc[key] if key in b.index else pd.Series(0, index=list(STATUSES))
        na, nb = int(ca.sum()), int(cb.sum())
        ua, ub = int(ca["unmet"] + ca["under-met"]), int(cb["unmet"] + cb["under-met"])
        rows.append([key[0], label("families", key[1]), nb, na, ub, ua, pct(ub, nb), pct(ua, na),
                     pct(ua, na) - pct(ub, nb)])
    return Table("Period against period", ["cluster", "family", "requests before", "requests now",
                                           "unmet or under-met before", "unmet or under-met now", "% before", "% now",
                                           "change (points)"], rows)


def outcomes_table(df: pd.DataFrame, meetings: list[tuple[str, str, str]]) -> Table:
    """``meetings``: (request_id, cluster of the workshop, outcome) of every meeting with a recorded outcome."""
    families = df.groupby(["request_id", "cluster"])["family"].apply(list).to_dict()
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for request_id, cluster, outcome in meetings:
        for family in families.get((request_id, cluster), []):
            counts.setdefault((cluster, family), dict.fromkeys(OUTCOME_GRADES, 0))[outcome] += 1
    rows = [[c, label("families", f), sum(v.values()), *v.values(),
             pct(v["cooperation_possible"] + v["agreement"], sum(v.values()) - v["not_held"])]
            for (c, f), v in sorted(counts.items())]
    return Table("Fair outcomes", ["cluster", "family", "meetings", *OUTCOME_GRADES,
                                   "% of held meetings: cooperation or agreement"], rows)


def outside_table(outside: list[Outside]) -> Table:
    rows = [[o.request_id, ", ".join(label("families", f) for f in o.families) or "no family recognised", o.quantity]
            for o in outside]
    return Table("Requests addressed to no cluster in this report", ["request", "families", "quantity"], rows)


def requests_table(df: pd.DataFrame) -> Table:
    rows = [[r.cluster, label("families", r.family), r.request_id, r.created_at[:10], r.quantity, r.window_days,
             None if pd.isna(r.ceiling) else r.ceiling, r.status, r.reaching, r.single_capacity, r.joint_capacity,
             ", ".join(k.split(":", 1)[-1] for k in r.lacking)] for r in df.itertuples()]
    return Table("Requests", ["cluster", "family", "request", "received", "quantity", "window (days)", "price ceiling",
                              "status", "eligible workshops", "largest eligible capacity in window",
                              "eligible capacity together", "must-haves no workshop meets"], rows)
