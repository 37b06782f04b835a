"""What each kind of job does. Each computes first and writes its data in one transaction that also
marks the job done, so a job is either done with all its data or failed with none."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from matcher.errors import FileFormatError
from matcher.features import supplier_text
from matcher.io.importer import prepare_import, store_import
from matcher.jobs.runner import Handler, JobContext

IMPORT_TYPES = (".csv", ".xlsx", ".json", ".jsonl")


def import_suppliers(ctx: JobContext) -> dict[str, Any]:
    """Validate the uploaded sheet, embed its new texts (most of the time), then store it all at once."""
    name, strict = str(ctx.params["file"]), bool(ctx.params.get("strict"))
    public = [str(c) for c in ctx.params.get("public_columns") or []]
    if not name.lower().endswith(IMPORT_TYPES):
        raise FileFormatError(name, f"supplier sheets must be {', '.join(IMPORT_TYPES)}")
    ctx.progress(2, "reading the sheet")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(ctx.payload or b"")
        report, models = prepare_import(ctx.store, path, "supplier", strict)
    total, done = max(1, len(models)), [0]

    def embedded(n: int, _what: str) -> None:
        done[0] += n
        ctx.progress(10 + 85 * done[0] / total, f"embedding supplier texts ({done[0]}/{len(models)})")

    ctx.progress(10, "embedding supplier texts")
    embedder = ctx.engine().embedder  # caches the vectors: the index update after the import reuses them
    embedder.progress = lambda n: embedded(n, "embedding suppliers")
    embedder.encode([supplier_text(m) for m in models])
    ctx.progress(96, "storing")
    with ctx.store.transaction():
        if public:
            ctx.store.set_public_columns(sorted(set(ctx.store.public_columns()) | set(public)))
        store_import(ctx.store, report, models)
        ctx.finish(report.model_dump(mode="json"))
    ctx.engine().index()  # this process's index now, from the cached vectors (others refresh on notice)
    return report.model_dump(mode="json")


def plan_fair(ctx: JobContext) -> dict[str, Any]:
    from matcher.fair.agendas import tell_agendas
    from matcher.fair.definition import parse_fair
    from matcher.fair.outcomes import save_plan
    from matcher.fair.plan import plan_fair as plan

    file = str(ctx.params.get("file") or "fair definition")
    from matcher.fair.requested import with_meeting_requests

    fair, requested = with_meeting_requests(ctx.store, parse_fair(ctx.params["definition"], file))
    time_limit = float(ctx.params["time_limit"])
    ctx.progress(2, "scoring buyers against suppliers")
    engine = ctx.engine()
    engine.index()
    with ctx.ticking(5, 95, time_limit, f"searching for the best plan (time limit {time_limit:g} s)"):
        made = plan(engine, fair, time_limit, 0, file=file)
    made.notes = [*made.notes, *requested]
    ctx.progress(96, "storing the plan")
    with ctx.store.transaction():
        plan_id = save_plan(ctx.store, fair, made)
        tell_agendas(ctx.store, plan_id, made)
        result = {"plan_id": plan_id, "stats": made.stats, "solver": made.solver, "notes": made.notes}
        ctx.finish(result)
    return result


def evaluation(ctx: JobContext) -> dict[str, Any]:
    from matcher.evaluation.insample import check_in_sample
    from matcher.evaluation.judgments import evaluate_subset, load_judgment_set
    from matcher.evaluation.runs import EvaluationReport
    from matcher.profiles import load_profile

    cfg, engine = ctx.env.settings, ctx.engine()
    profile = load_profile(ctx.params["profile"]) if ctx.params.get("profile") else ctx.env.profile
    ctx.progress(5, "indexing suppliers")
    engine.index()
    judgments = load_judgment_set("configured", cfg["EVAL_REQUESTS"], [cfg["EVAL_QRELS"]], cfg["EVAL_TWINS"],
                                  cfg["EVAL_NO_MATCH"])
    with ctx.ticking(10, 95, max(5.0, len(judgments.requests) * 0.05), "scoring the judged requests"):
        ev = evaluate_subset(engine, judgments, profile=profile, name=f"{profile.name}@{profile.version}")
    result = ev.result
    warning = check_in_sample(profile, ev.data_hash, [t.request_id for t in ev.context.judged],
                              result.summary["ndcg10"])
    report = EvaluationReport(profile=result.name, model=engine.embedder.name, n_requests=len(result.rows),
                              in_sample=warning, judgments=judgments.summary(), **result.figures().model_dump())
    return report.model_dump(mode="json")


HANDLERS: dict[str, Handler] = {"import_suppliers": import_suppliers, "plan_fair": plan_fair,
                                "evaluation": evaluation}
