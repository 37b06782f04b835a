"""Does an evaluation reuse the judgments a profile was tuned on? Then it must say so.

A tuned profile records the data hash of what it was tuned on and the judged request ids
(``meta.data_hash``, ``meta.tuned_on``). An evaluation on the same data (hash match) or sharing
judged requests with it is in-sample: its figure is a training fit, shown with the profile's
held-out figure beside it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from matcher import i18n
from matcher.profiles import Profile


class InSample(BaseModel):
    """The warning attached to an in-sample evaluation."""

    profile: str
    same_data_hash: bool
    shared_requests: list[str] = Field(description="judged requests here that the profile was tuned on")
    judged_requests: int
    in_sample_ndcg10: float
    held_out: dict[str, Any] = Field(description="the held-out figures recorded when the profile was tuned")
    held_out_text: str
    message: str


def held_out_text(meta: dict[str, Any]) -> str:
    """The profile's held-out nDCG@10 as recorded, with how it was measured."""
    rep = meta.get("repeated_cv")
    if rep:
        grouped = "twin-grouped " if rep.get("grouped_by_twins") else ""
        return (f"{rep['ndcg10_mean']:.3f} (sd {rep['ndcg10_std']:.3f}, range {rep['ndcg10_min']:.3f}-"
                f"{rep['ndcg10_max']:.3f} over {len(rep['fold_seeds'])} repetitions of {grouped}{rep['folds']}-fold "
                f"cross-validation)")
    single = meta.get("held_out", {}).get("ndcg10")
    if single is not None:
        folds = meta.get("search", {}).get("folds", "?")
        return f"{single:.3f} ({folds}-fold cross-validation, one fold seed, folds not grouped by twins)"
    return "not recorded"


def check_in_sample(profile: Profile, data_hash: str, judged_ids: list[str], in_sample_ndcg10: float,
                    locale: str = "en") -> InSample | None:
    """The warning when ``profile`` was tuned on this data or on any of ``judged_ids``; else None."""
    meta = profile.meta
    same = bool(meta.get("data_hash")) and meta.get("data_hash") == data_hash
    tuned_on = set(meta.get("tuned_on", {}).get("judged_request_ids", []))
    shared = sorted(set(judged_ids) & tuned_on) if not same else sorted(judged_ids)
    if not same and not shared:
        return None
    label, text = f"{profile.name}@{profile.version}", held_out_text(meta)
    if same:
        message = i18n.msg(locale, "evaluation.in_sample.hash", profile=label, in_sample=f"{in_sample_ndcg10:.3f}",
                           held_out=text)
    else:
        message = i18n.msg(locale, "evaluation.in_sample.overlap", profile=label, shared=len(shared),
                           judged=len(judged_ids), in_sample=f"{in_sample_ndcg10:.3f}", held_out=text)
    held = {k: meta[k] for k in ("repeated_cv", "held_out") if k in meta}
    return InSample(profile=label, same_data_hash=same, shared_requests=shared, judged_requests=len(judged_ids),
                    in_sample_ndcg10=round(in_sample_ndcg10, 4), held_out=held, held_out_text=text, message=message)
