"""The one explanation structure: built here, from the scorer's arrays, and shown everywhere.

CLI, API, shortlist exports and web pages all render :class:`Match`; none of
them recomputes a score or rewrites a reason.
"""

from __future__ import annotations

import json
from importlib import resources

from pydantic import BaseModel, Field

from matcher import vocab
from matcher.features import RequestFeatures
from matcher.index import SupplierIndex
from matcher.schema import BuyerRequest
from matcher.scoring import Scores

# Reason templates per language, as data: en, fr, de, it, ar (vocabularies/reasons.json).
MESSAGES: dict[str, dict[str, str]] = json.loads(
    resources.files("matcher.vocabularies").joinpath("reasons.json").read_text("utf-8"))


def reason_language(language: str | None) -> str:
    """The language reasons are written in: the buyer's when we have it, else English."""
    return language if language in MESSAGES else "en"


def message(language: str | None, key: str, **params: object) -> str:
    table = MESSAGES[reason_language(language)]
    return table[key].format(**params)


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
    factors: dict[str, FactorScore]
    must_haves: list[MustHave] = []
    lacks: list[str] = Field(default=[], description="labels of the must-haves this supplier misses")
    reasons: list[str]


class MatchResult(BaseModel):
    request_id: str | None
    profile: str
    model: str
    n_suppliers: int
    n_eligible: int
    message: str | None = None
    matches: list[Match]
    near_misses: list[Match] = Field(default=[], description="when nothing is eligible: closest ineligible suppliers")


def must_have_label(key: str, lang: str | None) -> str:
    kind, _, ident = key.partition(":")
    if kind == "certification":
        return vocab.load("certifications").label(ident, lang)
    return message(lang, kind)


def _fmt(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ") if x >= 1000 else f"{x:g}"


def _labels(kind: str, ids: list[str] | set[str], lang: str | None) -> str:
    v = vocab.load(kind)
    return ", ".join(v.label(i, lang) for i in sorted(ids))


def reasons_for(i: int, index: SupplierIndex, request: BuyerRequest, rf: RequestFeatures, scores: Scores) -> list[str]:
    """Short reasons in the buyer's terms for supplier position ``i``."""
    lang = reason_language(rf.language)
    s, sets, f = index.suppliers_[i], index.sets_, scores.factors
    out: list[str] = []
    for key, missing in scores.lacks.items():
        label = must_have_label(key, lang)
        out.append(message(lang, "must_missing" if missing[i] else "must_met", label=label))
    if "product" in f:
        made = set(rf.types) & sets["types"].row(i)
        fams = set(rf.families) & sets["families"].row(i)
        hs = set(rf.hs6) & sets["hs6"].row(i)
        if made:
            out.append(message(lang, "makes", items=_labels("products", made, lang)))
        elif hs:
            out.append(message(lang, "hs", items=", ".join(sorted(hs))))
        elif fams:
            out.append(message(lang, "family", items=_labels("families", fams, lang)))
        else:
            out.append(message(lang, "no_product"))
    out.append(message(lang, "semantic", pct=round(100 * f["semantic"][i])))
    qty, days, cap = request.quantity, round(scores.window_days), s.monthly_capacity
    if f["capacity"][i] >= 1.0:
        out.append(message(lang, "capacity_ok", cap=_fmt(cap), qty=_fmt(qty), days=days))
    else:
        can = _fmt(round(cap * days / 30))
        out.append(message(lang, "capacity_short", cap=_fmt(cap), can=can, qty=_fmt(qty), days=days))
    key = "moq_ok" if s.min_order_qty <= qty else "moq_high"
    out.append(message(lang, key, moq=_fmt(s.min_order_qty), qty=_fmt(qty)))
    if "lead_time" in f:
        key = "lead_ok" if s.lead_time_days <= (request.max_lead_time_days or 0) else "lead_late"
        out.append(message(lang, key, lead=s.lead_time_days, max=request.max_lead_time_days))
    if "price" in f:
        lo, hi, ceiling = index.price_min_[i], index.price_max_[i], request.max_unit_price_eur or 0.0
        if lo != lo:  # NaN: not stated
            out.append(message(lang, "price_unknown"))
        else:
            key = "price_ok" if hi <= ceiling else "price_part" if lo <= ceiling else "price_high"
            out.append(message(lang, key, lo=_fmt(lo), hi=_fmt(hi), max=_fmt(ceiling)))
    if "certifications" in f:
        have = sets["certifications"].row(i)
        for cert in rf.preferred_certifications:
            if cert in have:
                out.append(message(lang, "has", label=vocab.load("certifications").label(cert, lang)))
        lacking = [c for c in rf.preferred_certifications if c not in have]
        if lacking:
            out.append(message(lang, "missing_pref", items=_labels("certifications", lacking, lang)))
    for factor, kind, ok_key, missing_key in (
        ("sustainability", "sustainability", "practices", "missing_practices"),
        ("materials", "materials", "materials", "missing_materials"),
    ):
        if factor in f:
            wanted = rf.sustainability if factor == "sustainability" else rf.materials
            have = sets[kind].row(i)
            if set(wanted) & have:
                out.append(message(lang, ok_key, items=_labels(kind, set(wanted) & have, lang)))
            if set(wanted) - have:
                out.append(message(lang, missing_key, items=_labels(kind, set(wanted) - have, lang)))
    if request.buyer_country and request.buyer_country in s.export_markets:
        out.append(message(lang, "export_to", country=request.buyer_country))
    elif s.export_markets:
        out.append(message(lang, "export", items=", ".join(s.export_markets)))
    else:
        out.append(message(lang, "no_export"))
    if "language" in f:
        key = "speaks" if rf.language in s.languages else "no_lang"
        out.append(message(lang, key, code=rf.language))
    if "country" in f:
        key = "country_ok" if s.country in request.preferred_countries else "country_no"
        out.append(message(lang, key, country=s.country))
    return out


def build_match(rank: int, i: int, index: SupplierIndex, request: BuyerRequest, rf: RequestFeatures,
                scores: Scores) -> Match:
    lang = reason_language(rf.language)
    s = index.suppliers_[i]
    factors = {
        name: FactorScore(
            score=round(float(values[i]), 4),
            weight=scores.weights[name],
            contribution=round(scores.contribution(name, i), 4),
        )
        for name, values in scores.factors.items()
    }
    musts = [
        MustHave(id=key, label=must_have_label(key, lang), met=not bool(missing[i]))
        for key, missing in scores.lacks.items()
    ]
    return Match(
        rank=rank,
        supplier_id=s.supplier_id,
        name=s.name,
        country=s.country,
        region=s.region,
        cluster=s.cluster,
        score=round(float(scores.total[i]), 4),
        eligible=bool(scores.eligible[i]),
        factors=factors,
        must_haves=musts,
        lacks=[m.label for m in musts if not m.met],
        reasons=reasons_for(i, index, request, rf, scores),
    )
