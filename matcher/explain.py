"""The one explanation structure: built here, from the scorer's arrays, and shown everywhere.

CLI, API, shortlist exports, fair agendas and web pages all render :class:`Match`; none of
them recomputes a score or rewrites a reason. Reasons are typed records from the factors
(matcher.factors.base.Reason), rendered to text in one place: :func:`render`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from matcher import i18n, vocab
from matcher.factors import registry
from matcher.factors.base import Reason
from matcher.feasibility import Feasibility
from matcher.scoring import ScoredRequest
from matcher.understanding.model import Interpretation


class FactorScore(BaseModel):
    score: float = Field(ge=0, le=1)
    weight: float = Field(ge=0)
    contribution: float = Field(ge=0, description="weight * score / sum of applicable weights")


class MustHave(BaseModel):
    id: str
    label: str
    met: bool


class Match(BaseModel):
    rank: int
    supplier_id: str
    name: str
    country: str
    region: str | None = None
    cluster: str | None = None
    score: float = Field(ge=0, le=1)
    eligible: bool
    filler: bool = Field(default=False, description="makes nothing of the requested product family")
    factors: dict[str, FactorScore]
    must_haves: list[MustHave] = []
    lacks: list[str] = Field(default=[], description="labels of the must-haves this supplier misses")
    reasons: list[Reason] = Field(description="must-haves first, then each applicable factor's reasons")


class MatchResult(BaseModel):
    request_id: str | None
    profile: str
    model: str
    n_suppliers: int
    n_eligible: int
    message: str | None = None
    interpretation: Interpretation | None = Field(default=None, description="what the engine read in the request")
    feasibility: list[Feasibility] = Field(default=[], description="what no single eligible workshop can meet")
    n_filler_left_out: int = Field(default=0, description="eligible suppliers left out: they make nothing of the "
                                                          "requested family (include_ineligible lists them)")
    matches: list[Match]
    near_misses: list[Match] = Field(default=[], description="when nothing is eligible: closest ineligible suppliers")


def number(x: float) -> str:
    """Numbers in reasons: whole numbers without decimals, thousands with a thin space ("1 200")."""
    return f"{x:,.0f}".replace(",", " ") if x >= 1000 else f"{x:g}"


def value_text(value: Any, locale: str) -> str:
    """One reason value as text in ``locale``."""
    sep = i18n.text(locale, "format.list_separator")
    if isinstance(value, dict) and "vocab" in value:
        v = vocab.load(value["vocab"])
        return sep.join(v.label(i, locale) for i in value["ids"])
    if isinstance(value, dict) and "msg" in value:
        return i18n.msg(locale, value["msg"])
    if isinstance(value, dict) and "text" in value:  # a term as the buyer typed it (no vocabulary knows it)
        return str(value["text"])
    if isinstance(value, list):
        return sep.join(str(x) for x in value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return number(value)


def render(reason: Reason, locale: str | None) -> str:
    """The text of ``reason`` in ``locale`` (message ``reason.<factor>.<kind>``)."""
    loc = i18n.locale_for(locale)
    return i18n.msg(loc, reason.msgid, **{k: value_text(v, loc) for k, v in reason.values.items()})


def must_have_label(scored: ScoredRequest, key: str, locale: str | None) -> str:
    gate = next(g for g in scored.gates if g.key == key)
    return value_text(gate.label, i18n.locale_for(locale))


def _by_text(flag: bool) -> str:
    return "_by_text" if flag else ""


def reasons_for(scored: ScoredRequest, i: int, supplier: Any) -> list[Reason]:
    """Reasons in the buyer's language for supplier position ``i``: must-haves, then factors."""
    loc = i18n.locale_for(scored.language)
    out = [Reason.model_construct(factor="must", kind=("missing" if g.missing[i] else "met") + _by_text(g.by_text),
                                  values={"label": g.label}, text="") for g in scored.gates]
    for factor in registry.in_reason_order():
        if factor.name in scored.values:  # row i is scored: it is being explained
            out.extend(factor.reasons(scored.index, scored.queries[factor.name], scored.context, i, supplier,
                                      scored.values))
    for r in out:
        r.text = render(r, loc)
    return out


def build_match(scored: ScoredRequest, rank: int, i: int) -> Match:
    """The explained match of supplier position ``i`` at ``rank``."""
    loc = i18n.locale_for(scored.language)
    s = scored.supplier(i)
    # Built from the scorer's own arrays: constructed without re-validation (the hot path of every match).
    factors = {
        name: FactorScore.model_construct(score=round(float(values[i]), 4), weight=scored.weights[name],
                                          contribution=round(scored.contribution(name, i), 4))
        for name, values in scored.values.items()
    }
    musts = [MustHave.model_construct(id=g.key, label=value_text(g.label, loc), met=not bool(g.missing[i]))
             for g in scored.gates]
    return Match.model_construct(
        rank=rank, supplier_id=s.supplier_id, name=s.name, country=s.country, region=s.region, cluster=s.cluster,
        score=round(scored.total_at(i), 4), eligible=bool(scored.eligible[i]), filler=bool(scored.filler[i]),
        factors=factors, must_haves=musts,
        lacks=[m.label for m in musts if not m.met], reasons=reasons_for(scored, i, s))
