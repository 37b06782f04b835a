"""Self-contained HTML evaluation report: tables plus inline SVG plots.

Every text that comes from data is escaped; the file needs no network and no
other file to open.
"""

from __future__ import annotations

import io
from collections import defaultdict
from html import escape
from pathlib import Path
from statistics import mean
from typing import Any

from matcher.evaluation.runs import SENSITIVITY_SCALES, Comparison, SystemResult

COLUMNS = (("ndcg5", "nDCG@5"), ("ndcg10", "nDCG@10"), ("p5", "P@5"), ("r10", "R@10"), ("rr", "MRR"), ("ap", "MAP"))
STYLE = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
td:first-child,th:first-child{text-align:left}tr.full{background:#eef6ee;font-weight:600}
.ci{color:#777;font-size:85%}figure{display:inline-block;margin:0 1em 1em 0;vertical-align:top}"""


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
    return text[text.index("<svg"):]  # drop the XML prolog: the SVG sits inside HTML


def _bar_by(results: list[SystemResult], key: str, title: str) -> str:
    plt = _plt()
    groups = sorted({row[key] for r in results for row in r.rows})
    fig, ax = plt.subplots(figsize=(6, 3.2))
    width = 0.8 / len(results)
    for j, r in enumerate(results):
        by = defaultdict(list)
        for row in r.rows:
            by[row[key]].append(row["ndcg10"])
        ax.bar([i + j * width for i in range(len(groups))], [mean(by[g]) if by[g] else 0 for g in groups],
               width, label=r.name)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(groups))], groups, rotation=20)
    ax.set_ylim(0, 1.3)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_ylabel("nDCG@10")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper center", ncol=2)
    return _svg(fig)


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


def _summary_rows(results: list[SystemResult], comparisons: dict[str, Comparison]) -> str:
    rows = []
    for n, r in enumerate(results):
        cells = [escape(r.name)]
        for key, _ in COLUMNS:
            lo, hi = r.ci[key]
            cells.append(f"{r.summary[key]:.3f} <span class=ci>[{lo:.3f}, {hi:.3f}]</span>")
        c = comparisons.get(r.name)
        cells += [str(r.violations), f"{r.no_match_answered}/{r.no_match_total}",
                  "-" if r.stability is None else f"{r.stability:.2f}", f"{r.coverage:.2f}",
                  f"{r.small_coverage:.2f}", f"{r.gini:.2f}",
                  f"{c.diff:+.3f} (p={c.p_value:.3f})" if c else "-"]
        rows.append(f"<tr{' class=full' if n == 0 else ''}><td>" + "</td><td>".join(cells) + "</td></tr>")
    return "\n".join(rows)


def write_report(path: str | Path, results: list[SystemResult], comparisons: dict[str, Comparison],
                 curves: dict[str, list[float]], small: set[str], meta: dict[str, str]) -> Path:
    """Write the report; ``results[0]`` is the system under evaluation."""
    full = results[0]
    head = "".join(f"<th>{label} <span class=ci>[95% CI]</span></th>" for _, label in COLUMNS)
    per_request = "\n".join(
        "<tr><td>" + "</td><td>".join([escape(row["request_id"]), escape(row["language"]), escape(row["buyer_type"])]
                                      + [f"{row[k]:.3f}" for k, _ in COLUMNS]) + "</td></tr>"
        for row in full.rows)
    info = "".join(f"<li>{escape(k)}: {escape(v)}</li>" for k, v in meta.items())
    # The system, its embeddings-only and structured-only counterparts, where present.
    label = full.name.split("]")[0].split("[")[-1]
    shown = [full] + [r for r in results[1:] if r.name in (f"embeddings only [{label}]", "structured only")]
    plots = [_bar_by(shown, "language", "nDCG@10 by request language"),
             _bar_by(shown, "buyer_type", "nDCG@10 by buyer type"),
             _sensitivity(curves), _exposure(full, small)]
    html = f"""<!doctype html><html lang=en><meta charset=utf-8><title>Matching evaluation</title>
<style>{STYLE}</style><h1>Matching evaluation</h1><ul>{info}</ul>
<h2>Systems</h2><p>Means over judged requests with 95% bootstrap intervals; the last column is the paired
difference in nDCG@10 from the first row with a randomization-test p-value. Violations: ineligible suppliers
ranked above eligible ones (pairs). No-match: requests no supplier can serve that were answered as such.
Stability: top-10 overlap between the same brief in two languages. Coverage, small-workshop coverage and Gini
are over every request's top-10 shortlist.</p>
<table><tr><th>system</th>{head}<th>violations</th><th>no-match</th><th>stability</th><th>coverage</th>
<th>small cov.</th><th>Gini</th><th>Δ nDCG@10 vs first</th></tr>
{_summary_rows(results, comparisons)}</table>
<h2>Plots</h2>{"".join(f"<figure>{p}</figure>" for p in plots)}
<h2>Per request: {escape(full.name)}</h2>
<table><tr><th>request</th><th>language</th><th>buyer type</th>{"".join(f"<th>{c}</th>" for _, c in COLUMNS)}</tr>
{per_request}</table></html>
"""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, "utf-8")
    return path
