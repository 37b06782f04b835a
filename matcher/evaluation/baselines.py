"""Baselines and ablations, evaluated beside the full system in one report.

Random and lexical rankers know nothing of must-haves, as a plain search box
would not; the weight variants keep the engine's must-have gate, and one
ablation removes the gate itself.
"""

from __future__ import annotations

import numpy as np

from matcher.engine import Engine
from matcher.evaluation.data import Run
from matcher.evaluation.runs import Context, RequestTable, SystemResult, build_tables, evaluate_run, weighted_run
from matcher.factors import registry
from matcher.features import request_text, supplier_text
from matcher.ranking import effective_weights
from matcher.schema import BuyerRequest
from matcher.textnorm import tokens


def random_run(tables: list[RequestTable], seed: int = 0) -> Run:
    rng = np.random.default_rng(seed)
    run = Run(name="random", rankings={})
    for t in tables:
        run.rankings[t.request_id] = [t.ids[i] for i in rng.permutation(len(t.ids))]
    return run


def lexical_run(engine: Engine, requests: list[BuyerRequest]) -> Run:
    """TF-IDF cosine between request and supplier texts, with the engine's folding tokenizer."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    suppliers = sorted(engine.store.suppliers(), key=lambda s: s.supplier_id)
    ids = [s.supplier_id for s in suppliers]
    vectorizer = TfidfVectorizer(analyzer=tokens, sublinear_tf=True)
    docs = vectorizer.fit_transform([supplier_text(s) for s in suppliers])
    queries = vectorizer.transform([request_text(r) for r in requests])
    sims = (queries @ docs.T).toarray()  # rows are L2-normalised: this is the cosine
    run = Run(name="lexical TF-IDF", rankings={})
    for request, row in zip(requests, sims, strict=True):
        order = np.lexsort((np.arange(len(ids)), -row))
        run.rankings[str(request.request_id)] = [ids[i] for i in order]
        run.scores[str(request.request_id)] = [float(row[i]) for i in order]
    return run


def suite(engines: list[Engine], requests: list[BuyerRequest], ctx: Context, seed: int = 0,
          ablations: bool = True) -> list[SystemResult]:
    """:func:`suite_runs`, each judged by ``ctx``."""
    return [evaluate_run(run, ctx, seed) for run in suite_runs(engines, requests, ctx, seed, ablations)]


def suite_runs(engines: list[Engine], requests: list[BuyerRequest], ctx: Context, seed: int = 0,
               ablations: bool = True) -> list[Run]:
    """The full system first, then every baseline and ablation.

    ``engines[0]`` is the primary embedder; each further engine adds a full-system and an
    embeddings-only row for its backend.
    """
    primary = engines[0]
    label = primary.embedder.name
    runs = [weighted_run(ctx.tables, f"full [{label}]")]
    for other in engines[1:]:
        tables = build_tables(other, requests)
        runs.append(weighted_run(tables, f"full [{other.embedder.name}]"))
        runs.append(weighted_run(tables, f"embeddings only [{other.embedder.name}]", {"semantic": 1.0}))
    runs.append(weighted_run(ctx.tables, f"embeddings only [{label}]", {"semantic": 1.0}))
    profile = effective_weights(primary.profile.weights, None)
    runs.append(weighted_run(ctx.tables, "structured only", {**profile, "semantic": 0.0}))
    runs.append(lexical_run(primary, requests))
    runs.append(random_run(ctx.tables, seed))
    if ablations:
        runs.append(weighted_run(ctx.tables, "no must-have gate", gate=False))
        runs.extend(weighted_run(ctx.tables, f"without {f}", {**profile, f: 0.0})
                    for f in registry.names() if profile.get(f, 0.0) > 0 and f != "semantic")
    return runs
