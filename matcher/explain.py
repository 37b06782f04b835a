"""The one explanation structure: built here, from the scorer's arrays, and shown everywhere.

CLI, API, shortlist exports and web pages all render :class:`Match`; none of
them recomputes a score or rewrites a reason.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from . import vocab
from .features import RequestFeatures
from .index import SupplierIndex
from .schema import BuyerRequest
from .scoring import Scores

MESSAGES = {
    "en": {
        "makes": "Makes what you asked for: {items}",
        "family": "Same product family ({items}), not the exact product",
        "no_product": "Does not make the products you asked for",
        "hs": "Declares matching HS code(s): {items}",
        "semantic": "Description similarity: {pct}%",
        "capacity_ok": "{cap}/month covers {qty} units in {days} days",
        "capacity_short": "{cap}/month makes only about {can} of {qty} units in {days} days",
        "moq_ok": "Minimum order {moq} fits your {qty} units",
        "moq_high": "Minimum order {moq} is above your {qty} units",
        "lead_ok": "Lead time {lead} days, within your {max} days",
        "lead_late": "Lead time {lead} days exceeds your {max} days",
        "price_ok": "Unit price €{lo}–{hi}, within your €{max}",
        "price_part": "Unit price €{lo}–{hi}: only part of the range is within your €{max}",
        "price_high": "Unit price €{lo}–{hi}, above your €{max}",
        "price_unknown": "Unit price not stated",
        "has": "{label}: yes",
        "missing_pref": "Missing preferred: {items}",
        "practices": "Practices you asked for: {items}",
        "missing_practices": "Practices not stated: {items}",
        "materials": "Works with: {items}",
        "missing_materials": "Does not list: {items}",
        "export_to": "Has exported to your country ({country})",
        "export": "Export experience: {items}",
        "no_export": "No export experience stated",
        "speaks": "Speaks your language ({code})",
        "no_lang": "Does not list your language ({code})",
        "country_ok": "In a preferred country ({country})",
        "country_no": "Not in your preferred countries ({country})",
        "must_met": "Must-have {label}: yes",
        "must_missing": "Missing must-have: {label}",
        "customization": "custom designs",
        "samples": "samples",
        "export_experience": "export experience",
        "none_eligible": "No supplier meets all must-haves ({musts}). Nearest misses are listed with what each lacks.",
        "no_suppliers": "There are no suppliers to match against yet. Import a supplier sheet first.",
    },
    "fr": {
        "makes": "Fabrique ce que vous cherchez : {items}",
        "family": "Même famille de produits ({items}), pas le produit exact",
        "no_product": "Ne fabrique pas les produits demandés",
        "hs": "Déclare le(s) code(s) SH correspondant(s) : {items}",
        "semantic": "Similarité de description : {pct} %",
        "capacity_ok": "{cap}/mois couvre {qty} unités en {days} jours",
        "capacity_short": "{cap}/mois ne produit qu'environ {can} des {qty} unités en {days} jours",
        "moq_ok": "Commande minimum {moq} compatible avec vos {qty} unités",
        "moq_high": "Commande minimum {moq} supérieure à vos {qty} unités",
        "lead_ok": "Délai {lead} jours, dans vos {max} jours",
        "lead_late": "Délai {lead} jours, au-delà de vos {max} jours",
        "price_ok": "Prix unitaire {lo}–{hi} €, dans votre budget de {max} €",
        "price_part": "Prix unitaire {lo}–{hi} € : une partie seulement sous vos {max} €",
        "price_high": "Prix unitaire {lo}–{hi} €, au-dessus de vos {max} €",
        "price_unknown": "Prix unitaire non indiqué",
        "has": "{label} : oui",
        "missing_pref": "Souhaité mais absent : {items}",
        "practices": "Pratiques demandées : {items}",
        "missing_practices": "Pratiques non indiquées : {items}",
        "materials": "Travaille : {items}",
        "missing_materials": "N'indique pas : {items}",
        "export_to": "A déjà exporté vers votre pays ({country})",
        "export": "Expérience export : {items}",
        "no_export": "Aucune expérience export indiquée",
        "speaks": "Parle votre langue ({code})",
        "no_lang": "N'indique pas votre langue ({code})",
        "country_ok": "Dans un pays préféré ({country})",
        "country_no": "Hors de vos pays préférés ({country})",
        "must_met": "Exigence {label} : oui",
        "must_missing": "Exigence manquante : {label}",
        "customization": "modèles personnalisés",
        "samples": "échantillons",
        "export_experience": "expérience export",
        "none_eligible": (
            "Aucun fournisseur ne remplit toutes les exigences ({musts}). "
            "Les plus proches sont listés avec ce qui leur manque."
        ),
        "no_suppliers": "Aucun fournisseur à comparer. Importez d'abord une fiche fournisseurs.",
    },
}


def message(language: str | None, key: str, **params: object) -> str:
    table = MESSAGES.get(language or "en", MESSAGES["en"])
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
    lang = "fr" if rf.language == "fr" else "en"
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
    lang = "fr" if rf.language == "fr" else "en"
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
