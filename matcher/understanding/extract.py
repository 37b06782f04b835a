"""Everything a description says that maps to a request field, with its span and its strength."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from matcher.bounds import MAX_QUANTITY
from matcher.understanding.cues import cue
from matcher.understanding.numbers import PER_MONTH, lead_times, prices, quantities
from matcher.understanding.terms import terms
from matcher.understanding.tokens import Clause, ascii_digits, clause_of, clauses, plain, tokenize

AR = r"(?:[وفبل]?ال|[وفبل])?"  # Arabic clitics before a word: و ف ب ل and the article ال
# Vocabulary -> (field for a must, field for a preference); None: the request has no such field.
TERM_FIELDS = {
    "certifications": ("required_certifications", "preferred_certifications"),
    "sustainability": ("sustainability", "sustainability"),
    "materials": ("materials", "materials"),
    "products": ("products", "products"),
}
FLAGS = {
    "customization_required": r"custom(?:ised|ized|ization|isation)?|bespoke|personali[sz](?:ed|ation)|own design|"
                              r"our (?:own )?design|logo|sur mesure|personnalis\w*|a facon|su misura|personalizzat\w*|"
                              r"sonderanfertigung|individuell\w*|nach mass|eigenes design|personaliza\w*|a medida|"
                              r"diseno propio|" + AR + r"تخصيص|حسب الطلب|" + AR + r"شعار",
    "samples_required": r"samples?|echantillons?|campion[ei]|campionatura|muster|muestras?|" + AR + r"عينات|" + AR +
                        r"عينة",
    "export_experience_required": r"export experience|experience (?:a l'|de l'|in )?export\w*|"
                                  r"esperienza (?:di |nell'|in )?export\w*|exporterfahrung|"
                                  r"experiencia (?:en |de )?exporta\w*|" + AR +
                                  r"خبر[ةه]\w* (?:\w+ ){0,2}(?:في )?(?:ال)?تصدير",
}
HS = re.compile(r"(?<![\w])(?:hs|sh|hts|cn|code|codigo|codice|zolltarif|taric|tarif|رمز|كود)\W{0,12}"
                r"(\d{4}(?:[.\s]?\d{2})?)(?![\d])")


@dataclass
class Reading:
    """One item read from the description (before it is applied)."""

    field: str
    value: Any
    start: int
    end: int
    strength: str | None = None
    corrected: bool = False
    detail: dict[str, Any] = dataclasses.field(default_factory=dict)  # how a number was read (per month, currency)
    vocab: str = ""  # the vocabulary of a term reading

    @property
    def id(self) -> str:
        return f"{self.field}:{self.value}" if self.vocab or self.field == "hs_codes" else self.field


def _strength(clause_list: list[Clause], start: int) -> str | None:
    """The cue of the term's clause, else of the nearest earlier clause of the same sentence
    ("Mandatory: CE marking, food contact."; "ISO 9001 would be preferred, lead-free tinning too")."""
    own = clause_of(clause_list, start)
    if own is None:
        return None
    index = clause_list.index(own)
    for clause in reversed(clause_list[:index + 1]):
        if clause.sentence != own.sentence:
            break
        found = cue(clause.text)
        if found:
            return found
    return None


def read(text: str) -> list[Reading]:
    """Every item of ``text``, in order of appearance (several readings of a field may coexist)."""
    words = tokenize(text)
    parts = clauses(text)
    found_terms = {name: terms(name).find(words, text) for name in (*TERM_FIELDS, "families")}
    out: list[Reading] = []
    for r in quantities(text):
        out.append(Reading("quantity", r.value, r.start, r.end, detail=r.detail))
    products = found_terms["products"] + found_terms["families"]
    for m in re.finditer(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+)(?![\d.,]\d)", ascii_digits(text)):
        follower = next((p for p in products if 0 <= p.start - m.end() <= 20
                         and len(re.findall(r"\w+", text[m.end():p.start])) <= 2), None)
        digits = re.sub(r"\D", "", m.group(1))
        number = int(digits) if len(digits) <= len(str(MAX_QUANTITY)) else 0  # beyond any order: not a quantity
        if follower and 0 < number <= MAX_QUANTITY and not any(q.start <= m.start() < q.end for q in out
                                                                 if q.field == "quantity"):
            rate = re.match(r"\s*" + PER_MONTH, plain(text[follower.end:follower.end + 20]))
            out.append(Reading("quantity", number, m.start(), follower.end + (rate.end() if rate else 0),
                               detail={"per_month": True} if rate else {}))
    out += [Reading("max_lead_time_days", r.value, r.start, r.end) for r in lead_times(text)]
    found_prices, unknown_currency = prices(text)
    out += [Reading("max_unit_price_eur", r.value, r.start, r.end, detail=r.detail)
            for r in [*found_prices, *unknown_currency]]
    for m in HS.finditer(plain(ascii_digits(text))):
        out.append(Reading("hs_codes", re.sub(r"\D", "", m.group(1)), m.start(), m.end()))
    for name, (must_field, pref_field) in TERM_FIELDS.items():
        for f in found_terms[name]:
            strength = _strength(parts, f.start) if name != "products" else None
            field = must_field if strength == "must" else pref_field
            out.append(Reading(field, f.cid, f.start, f.end, strength or ("preference" if name != "products" else None),
                               f.corrected, vocab=name))
    lowered = plain(text)
    for flag, pattern in FLAGS.items():
        for m in re.finditer(r"(?<!\w)(?:" + pattern + r")(?!\w)", lowered):
            out.append(Reading(flag, True, m.start(), m.end(), _strength(parts, m.start())))
    return sorted(out, key=lambda r: (r.start, r.field))

