"""Self-contained HTML evaluation report: tables plus inline SVG plots.

Every text that comes from data is escaped; the file needs no network and no
other file to open.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from matcher.evaluation.insample import InSample
from matcher.evaluation.judgments import SubsetEvaluation
from matcher.evaluation.preferences import LabelAgreement
from matcher.evaluation.runs import SENSITIVITY_SCALES, Comparison, SystemResult
from matcher.exports import html

COLUMNS = (("ndcg5", "nDCG@5"), ("ndcg10", "nDCG@10"), ("p5", "P@5"), ("r10", "R@10"), ("rr", "MRR"), ("ap", "MAP"))


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and CI
    import matplotlib.pyplot as plt

    return plt


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})  # same data, same file
    _plt().close(fig)
    text = buf.getvalue()
    return Markup(text[text.index("<svg"):])  # our own drawing (labels escaped by matplotlib); no XML prolog


def _bar_by(results: list[SystemResult], key: str, title: str) -> str:
    plt = _plt()
    table = per_request_frame(results)
    means = table.pivot_table(index=key, columns="system", values="ndcg10", aggfunc="mean", sort=True)
    groups = list(means.index)
    fig, ax = plt.subplots(figsize=(6, 3.2))
    width = 0.8 / len(results)
    for j, r in enumerate(results):
        column = means.get(r.name)
        heights = [0.0 if column is None or pd.isna(column[g]) else float(column[g]) for g in groups]
        ax.bar([i + j * width for i in range(len(groups))], heights, width, label=r.name)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(groups))], groups, rotation=20)
    ax.set_ylim(0, 1.3)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_ylabel("nDCG@10")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper center", ncol=2)
    return _svg(fig)


def per_request_frame(results: list[SystemResult]) -> pd.DataFrame:
    """Every system's per-request metrics in one long table (a row per system and request)."""
    return pd.DataFrame([{"system": r.name, **row} for r in results for row in r.rows])


def _sensitivity(curves: dict[str, list[float]]) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for factor, values in curves.items():
        ax.plot(SENSITIVITY_SCALES, values, marker="o", label=factor)
    ax.set_xlabel("weight multiplier (others fixed)")
    ax.set_ylabel("nDCG@10")
    ax.set_title("Weight sensitivity")
    ax.legend(fontsize=6, ncol=3)
    return _svg(fig)


def _exposure(result: SystemResult, small: set[str]) -> str:
    plt = _plt()
    items = sorted(result.exposure.items(), key=lambda kv: (-kv[1], kv[0]))
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.bar(range(len(items)), [c for _, c in items],
           color=["#d9822b" if sid in small else "#4a7ab5" for sid, _ in items])
    ax.set_xlabel("suppliers, most shown first (orange: small workshops)")
    ax.set_ylabel("appearances in top-10 shortlists")
    ax.set_title(f"Exposure, {result.name}: Gini {result.gini:.2f}")
    return _svg(fig)


def _agreement_rows(agreement: LabelAgreement | None) -> list[tuple[str, Any]]:
    if agreement is None:
        return []
    return ([("graded qrels vs preferences", agreement.qrels_vs_preferences)]
            + [(f"{a.source} vs preferences", a) for a in agreement.systems_vs_preferences]
            + [(f"{a.source} vs graded qrels (pairs of grades)", a) for a in agreement.systems_vs_qrels])


def write_report(path: str | Path, results: list[SystemResult], comparisons: dict[str, Comparison],
                 curves: dict[str, list[float]], small: set[str], meta: dict[str, str],
                 in_sample: InSample | None = None, subsets: list[SubsetEvaluation] | None = None,
                 agreement: LabelAgreement | None = None, notes: list[str] | None = None) -> Path:
    """Write the report; ``results[0]`` is the system under evaluation.

    ``in_sample`` puts a banner on top; judged-only figures (condensed nDCG@10, bpref) and the
    share of unjudged top-10 rows appear whenever some top-10 row has no judgment.
    """
    full = results[0]
    # The system, its embeddings-only and structured-only counterparts, where present.
    label = full.name.split("]")[0].split("[")[-1]
    shown = [full] + [r for r in results[1:] if r.name in (f"embeddings only [{label}]", "structured only")]
    plots = [_bar_by(shown, "language", "nDCG@10 by request language"),
             _bar_by(shown, "buyer_type", "nDCG@10 by buyer type"),
             _sensitivity(curves), _exposure(full, small)]
    page = html.render("matcher.evaluation", "report.html", columns=COLUMNS, results=results,
                       comparisons=comparisons, meta=meta, plots=plots, full=full, in_sample=in_sample,
                       incomplete=any(r.unjudged_top10 for r in results), subsets=subsets or [],
                       agreement=agreement, agreement_rows=_agreement_rows(agreement), notes=notes or [])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, "utf-8")
    return path
