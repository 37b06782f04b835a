"""Request understanding, the stage before scoring: what a buyer's text and fields really ask for.

``understand(request)`` reads the description (quantities, lead times, price ceilings, certificates
with must/preference, practices, materials, products, HS codes, must-have flags), resolves the
terms typed in fields (codes, typos, abbreviations; unknown terms reported with "did you mean"),
detects the language when the request does not give it, and returns the effective request (fields
the buyer filled always win over what was read) with an ``Interpretation`` that shows every item
read, its span, and whether it was applied. Items the buyer dismissed (``request.ignore``) are
shown but not applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from matcher import i18n, vocab
from matcher.schema import BuyerRequest
from matcher.textnorm import tokens as folded
from matcher.understanding.extract import Reading, read
from matcher.understanding.language import detect
from matcher.understanding.model import Extracted, Interpretation, Suggestion, TermNote
from matcher.understanding.terms import Resolution, terms

SCALARS = ("quantity", "max_lead_time_days", "max_unit_price_eur")
FLAGS = ("customization_required", "samples_required", "export_experience_required")
FIELD_VOCAB = {"required_certifications": "certifications", "preferred_certifications": "certifications",
               "sustainability": "sustainability", "materials": "materials", "products": "products"}
OTHER = vocab.OTHER


@dataclass
class Understood:
    request: BuyerRequest  # the effective request: the buyer's fields plus what was applied from the text
    interpretation: Interpretation
    ids: dict[str, list[str]] = field(default_factory=dict)  # list field -> canonical ids (other:<text> unknown)
    written: dict[str, str] = field(default_factory=dict)  # other:<text> id -> the label as the buyer typed it
    text_products: list[str] = field(default_factory=list)  # product ids read from the description


def understand(request: BuyerRequest, extract: bool = True) -> Understood:
    language, source, confidence = _language(request)
    loc = i18n.locale_for(language)
    ids: dict[str, list[str]] = {}
    written: dict[str, str] = {}
    notes: list[TermNote] = []
    for name, vocabulary in FIELD_VOCAB.items():
        ids[name] = []
        for label in getattr(request, name):
            resolution = terms(vocabulary).resolve(label)
            found = resolution.ids or [OTHER + " ".join(folded(label))]
            if not resolution.ids:
                written[found[0]] = label.strip()
            ids[name] += [i for i in found if i not in ids[name]]
            if resolution.status != "known" and not (name == "products" and resolution.status == "unknown"):
                notes.append(_note(name, vocabulary, resolution, loc))
    ids["preferred_certifications"] = [c for c in ids["preferred_certifications"]
                                       if c not in ids["required_certifications"]]
    understood = Understood(request, Interpretation(language=language, language_source=source,
                                                     language_confidence=confidence, terms=notes), ids, written)
    if extract and request.description:
        readings = read(request.description)
        _apply(understood, readings, loc)
        taken = [(r.start, r.end) for r in readings]
        understood.interpretation.terms += [_note("description", "certifications", r, loc)
                  for r in terms("certifications").unknown_codes(request.description, taken)]
    return understood


def _language(request: BuyerRequest) -> tuple[str | None, str, float | None]:
    if request.language:
        return request.language, "field", None
    code, confidence = detect(request.description or "")
    return code, ("detected" if code else "none"), confidence


def _labels(vocabulary: str, cids: list[str], loc: str) -> list[Suggestion]:
    v = vocab.load(vocabulary)
    return [Suggestion(id=c, label=v.label(c, loc)) for c in cids]


def _note(name: str, vocabulary: str, r: Resolution, loc: str) -> TermNote:
    read_as, suggestions = _labels(vocabulary, r.ids, loc), _labels(vocabulary, r.suggestions, loc)
    as_text = ", ".join(s.label for s in read_as)
    if r.status == "corrected":
        message = i18n.msg(loc, "term.corrected", label=r.label, read_as=as_text)
    elif r.status == "loosened":
        message = i18n.msg(loc, "term.loosened", label=r.label, read_as=as_text, unread=" ".join(r.unread))
    elif name == "required_certifications":
        message = i18n.msg(loc, "term.unknown_required", label=r.label)
    elif name == "description":
        message = i18n.msg(loc, "term.unknown_in_text", label=r.label)
    else:
        message = i18n.msg(loc, "term.unknown", label=r.label)
    if suggestions:
        message += "; " + i18n.msg(loc, "term.did_you_mean", items=", ".join(s.label for s in suggestions))
    return TermNote(field=name, label=r.label, status=r.status, read_as=read_as, suggestions=suggestions,
                    message=message)


def _label(reading: Reading, loc: str) -> str:
    if reading.vocab:
        return vocab.load(reading.vocab).label(str(reading.value), loc)
    if reading.field == "quantity":
        return i18n.msg(loc, "interp.value.quantity", n=reading.value)
    if reading.field == "max_lead_time_days":
        return i18n.msg(loc, "interp.value.lead", n=reading.value)
    if reading.field == "max_unit_price_eur":
        return i18n.msg(loc, "interp.value.price", n=f"{reading.value:g}") if reading.value is not None else "?"
    if reading.field == "hs_codes":
        return i18n.msg(loc, "interp.value.hs", code=reading.value)
    return i18n.msg(loc, {"customization_required": "must.customization", "samples_required": "must.samples",
                          "export_experience_required": "must.export_experience"}[reading.field])


def _apply(u: Understood, readings: list[Reading], loc: str) -> None:
    request, updates = u.request, dict[str, Any]()
    ignored = set(request.ignore)
    field_ids = {k: list(v) for k, v in u.ids.items()}  # what the buyer's own fields name
    chosen: dict[str, Reading] = {}  # one reading per id: the first, or the first said to be a must
    for r in readings:
        if r.id not in chosen or (r.strength == "must" and chosen[r.id].strength != "must"):
            chosen[r.id] = r
    for r in readings:
        if chosen.get(r.id) is not r:
            continue
        applied, note = _decide(r, request, updates, ignored, loc, field_ids)
        if applied:
            if r.field in SCALARS or r.field in FLAGS:
                updates[r.field] = r.value
                if r.detail.get("per_month") and request.max_lead_time_days is None:
                    updates.setdefault("max_lead_time_days", 30)  # "500 a month": 500 within 30 days
            elif r.field == "products":
                u.text_products.append(str(r.value))
            else:
                target = u.ids[r.field] if r.field in u.ids else updates.setdefault(r.field, [])
                if r.value not in target:
                    target.append(str(r.value))
        u.interpretation.extracted.append(Extracted(
            id=r.id, field=r.field, value=r.value, label=_label(r, loc), text=request.description[r.start:r.end],
            start=r.start, end=r.end, strength=r.strength, corrected=r.corrected, applied=applied,
            note=note or (i18n.msg(loc, "interp.corrected") if r.corrected else "")))
    u.ids["preferred_certifications"] = [c for c in u.ids["preferred_certifications"]
                                         if c not in u.ids["required_certifications"]]
    u.request = request.model_copy(update=updates)


def _decide(r: Reading, request: BuyerRequest, updates: dict[str, Any], ignored: set[str],
            loc: str, field_ids: dict[str, list[str]]) -> tuple[bool, str]:
    """(applied, note) for one reading; fields the buyer filled win."""
    if r.id in ignored:
        return False, i18n.msg(loc, "interp.dismissed")
    if r.field == "max_unit_price_eur" and r.value is None:
        return False, i18n.msg(loc, "interp.no_rate", code=r.detail["code"])
    if r.field in SCALARS:
        given = getattr(request, r.field)
        if given is not None:
            return False, ("" if given == r.value else i18n.msg(loc, "interp.field_filled", value=f"{given:g}"))
        if r.field in updates:
            return False, i18n.msg(loc, "interp.earlier")
        return True, _note_of(r, loc)
    if r.field in FLAGS:
        if getattr(request, r.field):
            return False, ""
        return (True, "") if r.strength == "must" else (False, i18n.msg(loc, "interp.must_only"))
    if r.field in ("products",):
        return True, ""
    # Lists take the union of fields and text; where a field already names the concept, the field wins.
    if r.value in field_ids.get(r.field, []) or (r.field == "hs_codes" and r.value in request.hs_codes):
        return False, i18n.msg(loc, "interp.in_field")
    if r.field == "required_certifications" and r.value in field_ids.get("preferred_certifications", []):
        return False, i18n.msg(loc, "interp.field_says_wish")
    if r.field == "preferred_certifications" and r.value in field_ids.get("required_certifications", []):
        return False, i18n.msg(loc, "interp.in_field")
    if r.field in ("sustainability", "materials") and r.strength == "must":
        return True, i18n.msg(loc, "interp.wish_only")
    return True, ""


def _note_of(r: Reading, loc: str) -> str:
    if r.detail.get("per_month"):
        return i18n.msg(loc, "interp.per_month", n=r.value)
    if "code" in r.detail and r.value is not None:
        d = r.detail
        return i18n.msg(loc, "interp.rate", amount=f"{d['amount']:g}", code=d["code"], euros=f"{r.value:g}",
                        date=d["as_of"])
    return ""


__all__ = ["Interpretation", "Understood", "understand"]
