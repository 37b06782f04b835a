"""The market report's plots: SVG from matplotlib, readable without colour (grey fills, hatching, markers)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from matcher.evaluation.report import _plt, _svg  # the project's Agg backend and reproducible SVG
from matcher.exports.tabular import Table
from matcher.market.tables import STATUSES, label

STYLE = {"met": ("white", ""), "under-met": ("#bbbbbb", "///"), "unmet": ("#555555", "xx")}


def _bars(ax: Any) -> None:
    ax.spines[["top", "right"]].set_visible(False)


def status_plot(df: pd.DataFrame) -> str:
    """Requests per cluster and family, stacked met / under-met / unmet."""
    plt = _plt()
    counts = df.groupby(["cluster", "family"])["status"].value_counts().unstack(fill_value=0)
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    names = [f"{c}: {label('families', f)}" for c, f in counts.index]
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(names) + 1.2))
    left = np.zeros(len(names))
    for status in STATUSES:
        fill, hatch = STYLE[status]
        values = counts[status].to_numpy(dtype=float)
        ax.barh(names, values, left=left, color=fill, hatch=hatch, edgecolor="black", label=status)
        left += values
    ax.invert_yaxis()
    ax.set_xlabel("requests")
    ax.set_title("Demand by cluster and family")
    ax.legend(fontsize=8, loc="lower right")
    _bars(ax)
    return _svg(fig)


def _paired(names: list[str], first: list[float], second: list[float], legend: tuple[str, str], title: str,
            xlabel: str) -> str:
    """Two horizontal bars per name, told apart by fill and hatching."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 0.55 * len(names) + 1.2))
    y = np.arange(len(names))
    ax.barh(y - 0.2, first, 0.4, color="white", hatch="///", edgecolor="black", label=legend[0])
    ax.barh(y + 0.2, second, 0.4, color="#999999", hatch="..", edgecolor="black", label=legend[1])
    ax.set_yticks(y, names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 105)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    _bars(ax)
    return _svg(fig)


def requirement_plot(table: Table, top: int = 10) -> str:
    """For the most required certifications: % of requests requiring it beside % of workshops holding it."""
    rows = [r for r in table.cells() if r[2] == "certification" and r[5]]
    rows = sorted(rows, key=lambda r: (-r[6], r[3]))[:top]
    return _paired([f"{r[3][:28]} ({r[1].split(' ')[0]})" for r in rows], [r[6] for r in rows],
                   [round(100 * r[9] / r[10]) if r[10] else 0 for r in rows],
                   ("% of requests requiring it", "% of workshops holding it"),
                   "Required certifications: demand against supply", "%")


def capacity_plot(df: pd.DataFrame) -> str:
    """Each reachable request: quantity against the largest eligible workshop and all eligible together."""
    plt = _plt()
    reach = df[df["status"] != "unmet"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.scatter(reach["quantity"], reach["single_capacity"].clip(lower=1), marker="o", facecolors="none",
               edgecolors="black", label="largest eligible workshop")
    ax.scatter(reach["quantity"], reach["joint_capacity"].clip(lower=1), marker="^", color="#777777",
               label="all eligible workshops together")
    top = max(10.0, float(reach[["quantity", "joint_capacity"]].to_numpy().max()) if len(reach) else 10.0)
    ax.plot([1, top * 2], [1, top * 2], linestyle="--", color="black", linewidth=1, label="capacity = quantity")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("quantity asked (pieces)")
    ax.set_ylabel("pieces they can make in the window")
    ax.set_title("Capacity against demand (below the line: short)")
    ax.legend(fontsize=8)
    return _svg(fig)


def comparison_plot(table: Table) -> str:
    """% unmet or under-met per cluster and family, previous period beside this one."""
    rows = table.cells()
    return _paired([f"{r[0]}: {r[1]}" for r in rows], [r[6] for r in rows], [r[7] for r in rows],
                   ("previous period", "this period"), "Period against period", "% of requests unmet or under-met")
