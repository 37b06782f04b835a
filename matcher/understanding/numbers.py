"""Quantities, lead times and price ceilings written in prose, in six languages.

"1 200 pièces", "500 pcs/month", "٢٠٠ قطعة", "6 semaines", "within a month", "entro 60 giorni",
"moins de 25 €", "under $30", "3000 DA". Amounts in another currency are converted to euros with
the rate table of matcher/vocabularies/currencies.json (MATCHER_CURRENCY_RATES overrides it);
a currency that is not in the table is reported, never guessed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from matcher.bounds import MAX_QUANTITY
from matcher.understanding.tokens import ascii_digits, plain

# A number as people write it: 1200, 1 200, 1.200, 1,200, 12,5, 12.50 (thin and no-break spaces too).
NUMBER = r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+)(?:[.,](\d{1,2}))?(?![\d])"


def _named(prefix: str) -> str:
    """NUMBER with named groups <prefix>w (whole part) and <prefix>d (decimals), no look-behind."""
    return (r"(?P<" + prefix + r"w>\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+)(?:[.,](?P<" + prefix +
            r"d>\d{1,2}))?(?![\d])")
WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "un": 1, "une": 1, "uno": 1, "una": 1, "ein": 1, "eine": 1, "einen": 1, "einem": 1,
    "two": 2, "deux": 2, "due": 2, "zwei": 2, "dos": 2, "three": 3, "trois": 3, "tre": 3, "drei": 3, "tres": 3,
    "four": 4, "quatre": 4, "quattro": 4, "vier": 4, "cuatro": 4, "five": 5, "cinq": 5, "cinque": 5, "funf": 5,
    "cinco": 5, "six": 6, "sei": 6, "sechs": 6, "seis": 6, "eight": 8, "huit": 8, "otto": 8, "acht": 8, "ocho": 8,
    "ten": 10, "dix": 10, "dieci": 10, "zehn": 10, "diez": 10, "twelve": 12, "douze": 12, "dodici": 12,
    "zwolf": 12, "doce": 12, "شهر": 1, "اسبوع": 1,
}
UNITS = (r"pcs?\.?|pieces?|pi[eè]ces?|units?|unit[eé]s?|pezzi|pz\.?|st[uü]ck|stk\.?|piezas?|unidades|pares|paires?|"
         r"pairs?|paia|paar|articles?|items?|قطعة|قطع|وحدة|وحدات|زوج|أزواج")
PER_MONTH = r"(?:/\s*(?:month|mois|mese|monat|mes)|(?:a|per|par|al|pro|por|each)\s+(?:month|mois|mese|monat|mes)|" \
            r"mensuel(?:le)?s?|monthly|al mese|im monat|al mes|شهريا|في الشهر)"
DAYS = {"day": 1, "days": 1, "jour": 1, "jours": 1, "giorno": 1, "giorni": 1, "tag": 1, "tage": 1, "tagen": 1,
        "dia": 1, "dias": 1, "يوم": 1, "يوما": 1, "ايام": 1, "أيام": 1, "week": 7, "weeks": 7, "semaine": 7,
        "semaines": 7, "settimana": 7, "settimane": 7, "woche": 7, "wochen": 7, "semana": 7, "semanas": 7,
        "اسبوع": 7, "أسبوع": 7, "اسابيع": 7, "أسابيع": 7, "month": 30, "months": 30, "mois": 30, "mese": 30,
        "mesi": 30, "monat": 30, "monate": 30, "monaten": 30, "mes": 30, "meses": 30, "شهر": 30, "اشهر": 30,
        "أشهر": 30, "شهرين": 60, "يومين": 2}
LEAD_CUES = (r"within|in|under|max(?:imum)?|delivery|deliver(?:ed)?|lead time|sous|en|d'ici|dans|delai|livraison|"
             r"livr[eé]s?|entro|in|consegna|tempi|innerhalb|binnen|in|lieferung|lieferzeit|spatestens|liefertermin|"
             r"en|dentro de|plazo|entrega|antes de|خلال|في غضون|مدة التسليم|التسليم|لا تتجاوز|اقصاه|أقصاه")
PRICE_CUES = (r"under|below|less than|max(?:imum)?|up to|at most|budget|no more than|moins de|maximum|au plus|"
              r"jusqu'a|pas plus de|inferieur a|sotto|meno di|massimo|fino a|non oltre|unter|hochstens|bis zu|"
              r"maximal|max\.|menos de|maximo|hasta|como maximo|no mas de|اقل من|أقل من|الاقصى|الأقصى|لا يتجاوز|حتى")


@dataclass(frozen=True)
class Reading:
    """One value read from the text: what, the value, where, and how it was read."""

    field: str  # quantity | max_lead_time_days | max_unit_price_eur
    value: Any
    start: int
    end: int
    detail: dict[str, Any] = dataclasses.field(default_factory=dict)  # per_month, or amount/code/as_of


def to_number(whole: str, decimals: str | None) -> float:
    digits = re.sub(r"[ \u00a0\u202f.,]", "", whole)
    return float(f"{digits}.{decimals}") if decimals else float(digits)


def _numbers(text: str) -> list[tuple[float, int, int]]:
    found = [(to_number(m.group(1), m.group(2)), m.start(), m.end()) for m in re.finditer(NUMBER, text)]
    for m in re.finditer(r"\b(" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + r")\b", text):
        found.append((float(WORD_NUMBERS[m.group(1)]), m.start(), m.end()))
    return sorted(found, key=lambda x: x[1])


def quantities(text: str) -> list[Reading]:
    """'200 pièces', '1 200 pcs', '500 pcs/month', '٢٠٠ قطعة' (a number followed by a unit word)."""
    t = ascii_digits(text).lower()
    out = []
    for m in re.finditer(NUMBER + r"\s*(?:x\s*)?(" + UNITS + r")(?![\w])(\s*" + PER_MONTH + r")?", t):
        value = to_number(m.group(1), m.group(2))
        if not value.is_integer() or not 1 <= value <= MAX_QUANTITY:
            continue
        out.append(Reading("quantity", int(value), m.start(), m.end(), {"per_month": True} if m.group(4) else {}))
    return out


def lead_times(text: str) -> list[Reading]:
    """'sous 6 semaines', 'within a month', 'entro 60 giorni', 'لا تتجاوز ٦٠ يوما' -> days."""
    t = plain(ascii_digits(text))
    units = "|".join(sorted(DAYS, key=len, reverse=True))
    # Up to three words between the cue and the amount, within one clause (no comma or full stop).
    pattern = (r"(?:" + LEAD_CUES + r")[\s:]+(?:\w+\s+){0,3}?(?:" + _named("n") + r"|(?P<word>\w+))?\s*(?P<unit>" +
               units + r")(?![\w])")
    out = []
    for m in re.finditer(pattern, t):
        unit = m.group("unit")
        if m.group("nw"):
            value: float | None = to_number(m.group("nw"), m.group("nd"))
        elif m.group("word") in WORD_NUMBERS:
            value = float(WORD_NUMBERS[m.group("word")])
        elif DAYS[unit] in (7, 30) or unit in ("شهرين", "يومين"):
            value = 1.0  # "within a month", "sous un mois": the article is optional
        else:
            value = None
        if value is None:
            continue
        days = round(value * DAYS[unit])
        if 0 < days <= 3650:
            out.append(Reading("max_lead_time_days", days, m.start(), m.end()))
    return out


@cache
def _rates() -> dict[str, Any]:
    path = os.environ.get("MATCHER_CURRENCY_RATES")
    text = Path(path).read_text("utf-8") if path else \
        resources.files("matcher.vocabularies").joinpath("currencies.json").read_text("utf-8")
    return json.loads(text)


def prices(text: str) -> tuple[list[Reading], list[Reading]]:
    """(unit-price ceilings in EUR, amounts in a currency the rate table lacks)."""
    table = _rates()
    symbols: dict[str, str] = table["symbols"]
    names = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
    t = plain(ascii_digits(text))
    gap = r"[^\w€$£]+"  # between words, but never a currency sign (it belongs to the amount)
    pattern = (r"(?:(?P<cue>" + PRICE_CUES + r")" + gap + r"(?:\w+" + gap + r"){0,2}?)?(?:(?P<pre>" + names +
               r")\s*" + _named("a") + r"|(?<!\d)" + _named("b") + r"\s*(?P<post>" + names + r"|[a-z]{3})(?![\w]))")
    found, unknown = [], []
    for m in re.finditer(pattern, t):
        code_text = m.group("pre") or m.group("post")
        whole, dec = (m.group("aw"), m.group("ad")) if m.group("pre") else (m.group("bw"), m.group("bd"))
        code = symbols.get(code_text)
        if code is None:
            # "max 30 XOF": a price in a currency the table lacks (an upper-case code, as written)
            if m.group("cue") and text[m.start("post"):m.end("post")].isupper():
                unknown.append(Reading("max_unit_price_eur", None, m.start(), m.end(), {"code": code_text.upper()}))
            continue
        tail = t[m.end():m.end() + 25]
        if re.match(r"\W*(?:en tout|au total|total|in total|insgesamt|in totale|en total|إجمالي)", tail) or \
                ((m.group("cue") or "").startswith("budget") and re.search(r"total", t[m.start():m.end() + 20])):
            continue  # a total budget, not a unit price
        value = to_number(whole, dec)
        euros = round(value * float(table["rates"][code]), 2)
        detail = {} if code == "EUR" else {"amount": value, "code": code, "as_of": table["as_of"]}
        found.append(Reading("max_unit_price_eur", euros, m.start(), m.end(), detail))
    return found, unknown
