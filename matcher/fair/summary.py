"""What the planner says about a plan, in words a team member reads, in any shipped language.

Every sentence is a catalogue message (``fair.*``): the solver report's ``status_text`` and the
plan's notes (targets lowered, and why) are written in English for the API and the CLI, and kept
as message ids with parameters so a page or a file can say them in its reader's language.

:func:`summary` turns a solver report into sentences that claim only what the report proves:
"best possible" only when the status is ``optimal``; otherwise the distance to the planner's upper
bound, said as a distance to the best possible plan only when that reading holds (a positive
score under a bound of at least 1, where (bound - score) / bound also bounds (best - score) / best),
and else as the figures themselves with what the bound bounds. Percentages are rounded up.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel

from matcher import i18n


class PlanNote(BaseModel):
    """A plan's note as a catalogue message: a target lowered (``who``, ``wanted``, ``target``) and why
    (``why``: a message id, with its count ``n``)."""

    msgid: str = "fair.note.target_lowered"
    who: str
    wanted: int
    target: int
    why: str
    n: int

    def text(self, locale: str | None) -> str:
        return i18n.msg(locale, self.msgid, who=self.who, wanted=self.wanted, target=self.target,
                        why=i18n.msg(locale, self.why, n=self.n))


def target_lowered(kind: str, ident: str, wanted: int, target: int, free: int, cap: int, partners: int) -> PlanNote:
    """A target no timetable can reach, lowered to what is possible, with the reason."""
    why, n = (("fair.note.why_slots", free) if free < wanted else ("fair.note.why_cap", cap) if cap < wanted
              else (f"fair.note.why_partners_{kind}", partners))
    return PlanNote(who=ident, wanted=wanted, target=target, why=why, n=n)


def status_text(status: str, tolerance: float, gap: float, bound: float, covers: str, greedy_returned: bool,
                locale: str | None = "en") -> str:
    """The solver report's status sentence (English in the stored report)."""
    if status == "optimal":
        text = i18n.msg(locale, "fair.status.optimal", tolerance=f"{tolerance:g}")
    else:
        text = i18n.msg(locale, "fair.status.feasible", gap=f"{gap:.2%}", bound=f"{bound:.3f}", covers=covers)
    if greedy_returned:
        text += i18n.msg(locale, "fair.status.greedy_returned")
    return text


def _percent_up(x: float) -> str:
    return f"{math.ceil(x * 1000 - 1e-9) / 10:g}"


def summary(solver: dict[str, Any], locale: str | None) -> dict[str, Any]:
    """{"sentences": [...], "figures": [(label, value), ...]} for a stored solver report."""
    say = lambda msgid, **p: i18n.msg(locale, msgid, **p)  # noqa: E731
    seconds = f"{solver.get('seconds', 0):g}"
    objective, bound = float(solver["objective"]), float(solver["bound"])
    if solver["status"] == "optimal":
        sentences = [say("fair.summary.optimal", seconds=seconds)]
    elif objective > 0 and bound >= 1:
        sentences = [say("fair.summary.feasible", seconds=seconds, gap=_percent_up(solver["gap"]))]
    else:
        sentences = [say("fair.summary.feasible_figures", seconds=seconds, objective=f"{objective:g}",
                         bound=f"{bound:g}")]
    if solver.get("returned") == "greedy":
        sentences.append(say("fair.summary.greedy"))
    if solver.get("shortfall"):
        sentences.append(say("fair.summary.shortfall", n=solver["shortfall"]))
    if solver.get("stopped") == "time limit":
        sentences.append(say("fair.summary.time_limit"))
    figures = [(say("fair.figure.objective", penalty=f"{solver.get('shortfall_penalty', 0):g}"), f"{objective:g}"),
               (say("fair.figure.value"), f"{solver.get('value', objective):g}"),
               (say("fair.figure.shortfall"), str(solver.get("shortfall", 0))),
               (say("fair.figure.bound", pairs=solver.get("pairs", "?")), f"{bound:g}"),
               (say("fair.figure.gap"), f"{solver['gap'] * 100:.3f} %"),
               (say("fair.figure.greedy"), f"{solver['greedy']['objective']:g}"),
               (say("fair.figure.seconds"), f"{seconds} / {solver.get('time_limit', 0):g}"),
               (say("fair.figure.solver"), str(solver["solver"]))]
    return {"sentences": sentences, "figures": figures}
