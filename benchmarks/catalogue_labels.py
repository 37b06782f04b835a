"""Label samplers of the benchmark catalogue: vocabulary labels with Zipf-like frequencies, written as
chamber-of-crafts officers write them (labels and aliases in the sheet's language, abbreviations,
typos, qualifiers), and terms no vocabulary knows.

Every draw takes a ``random.Random`` so a catalogue is a pure function of its seed. A drawn label
comes with its *component* (the label before noise): the key of its vector in the embedding pool
(benchmarks/catalogue_vectors.py).
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from matcher import vocab

HERE = Path(__file__).resolve().parent
T = TypeVar("T")
ARABIC = re.compile(r"[\u0600-\u06ff]")
SHEET_LANGUAGES = ("fr", "ar", "en")
JOIN = {"en": (", ", " and "), "fr": (", ", " et "), "it": (", ", " e "), "de": (", ", " und "),
        "es": (", ", " y "), "ar": ("، ", " و")}


@cache
def data(name: str) -> dict[str, Any]:
    """One of the catalogue's JSON files (catalogue_labels, catalogue_phrases, catalogue_places)."""
    loaded: dict[str, Any] = json.loads((HERE / f"{name}.json").read_text("utf-8"))
    return loaded


class Zipf(Generic[T]):
    """Draws items with probability proportional to weight, by default 1 / rank**s (first item commonest)."""

    def __init__(self, items: Sequence[T], s: float = 1.1, weights: Sequence[float] | None = None) -> None:
        if not items:
            raise ValueError("Zipf needs at least one item")
        self.items = list(items)
        w = list(weights) if weights is not None else [1.0 / (r + 1) ** s for r in range(len(items))]
        self.cum = list(itertools.accumulate(w))

    def draw(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]

    def draw_distinct(self, rng: random.Random, k: int) -> list[T]:
        """Up to ``k`` distinct items (fewer when the draws keep repeating)."""
        out: list[T] = []
        for _ in range(4 * k):
            item = self.draw(rng)
            if item not in out:
                out.append(item)
                if len(out) == k:
                    break
        return out


def count(rng: random.Random, p_zero: float, mean_extra: float, cap: int) -> int:
    """0 with probability ``p_zero``, else 1 + a geometric number of mean ``mean_extra`` (at most ``cap``)."""
    if rng.random() < p_zero:
        return 0
    n, stop = 1, 1.0 / (1.0 + mean_extra)
    while n < cap and rng.random() > stop:
        n += 1
    return n


def typo(rng: random.Random, text: str) -> str:
    """One slip of the keyboard in a word of five letters or more (swap, drop, double)."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w, j = words[i], rng.randrange(1, len(words[i]) - 1)
    op = rng.randrange(3)
    words[i] = (w[:j] + w[j + 1] + w[j] + w[j + 2:]) if op == 0 else (w[:j] + w[j + 1:]) if op == 1 \
        else (w[:j] + w[j] + w[j:])
    return " ".join(words)


LATIN_LANGUAGES = ("en", "fr", "it", "de", "es")


@cache
def _latin_language(alias: str) -> str:
    """The language lingua reads best in a Latin-script alias among en fr it de es (a guess on one word).
    Ties go to the first in LATIN_LANGUAGES: lingua lists tied languages in an order that changes between
    processes, and the catalogue must not."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    detector = _lingua(LanguageDetectorBuilder, Language, IsoCode639_1)
    values = {v.language.iso_code_639_1.name.lower(): round(v.value, 9)
              for v in detector.compute_language_confidence_values(alias)}
    return max(LATIN_LANGUAGES, key=lambda code: (values.get(code, 0.0), -LATIN_LANGUAGES.index(code)))


@cache
def _lingua(builder: Any, language: Any, iso: Any) -> Any:
    return builder.from_languages(*[language.from_iso_code_639_1(getattr(iso, c)) for c in
                                    ("EN", "FR", "IT", "DE", "ES")]).build()


# How much a sheet in one language (rows) uses an alias read as another (columns) besides its own label.
AFFINITY = {"fr": {"fr": 1.0, "en": 0.15}, "en": {"en": 1.0, "fr": 0.3}, "ar": {"ar": 1.0}}


def _affinity(alias: str, lang: str) -> float:
    if bool(ARABIC.search(alias)) != (lang == "ar"):
        return 0.0
    return 1.0 if lang == "ar" else AFFINITY.get(lang, {lang: 1.0, "en": 0.1}).get(_latin_language(alias), 0.0)


@cache
def surfaces(vocabulary: str, concept: str, lang: str) -> Zipf[str]:
    """How a sheet in ``lang`` names a concept: its label in that language half of the time, else one of
    the aliases the sheet's language would use, in the vocabulary's order (commonest first)."""
    c = vocab.load(vocabulary).concepts[concept]
    raw = json.loads((HERE.parent / "matcher" / "vocabularies" / f"{vocabulary}.json").read_text("utf-8"))
    names = [c.labels.get(lang, c.labels["en"]), *raw[concept].get("aliases", [])]
    # Labels with a bracketed gloss ("Parures de tête (diadème, jbin)") are written without it.
    names = [re.sub(r"\s*\(.*\)$", "", n).strip() for n in names]
    kept = [n for n in dict.fromkeys(names[1:]) if n and n != names[0] and _affinity(n, lang) > 0]
    kept.sort(key=lambda n: -_affinity(n, lang))  # the sheet's own language first, the vocabulary's order within
    if not kept:
        return Zipf([names[0]])
    rest = [_affinity(n, lang) / (r + 1) ** 1.2 for r, n in enumerate(kept)]
    return Zipf([names[0], *kept], weights=[sum(rest), *rest])


@cache
def family_types(family: str) -> Zipf[str]:
    products = vocab.load("products").concepts
    return Zipf([cid for cid, c in products.items() if family in c.attrs.get("families", [])], s=0.9)


def listing(items: list[str], lang: str) -> str:
    """"a, b et c" in the language's words."""
    sep, last = JOIN[lang]
    return items[0] if len(items) == 1 else sep.join(items[:-1]) + last + items[-1]


def weighted(table: Mapping[str, float]) -> Zipf[str]:
    return Zipf(list(table), weights=list(table.values()))


# Which certificates and practices a family's sheets name, commonest first (a concept not listed is rare).
CERT_ORDER = {
    "jewellery": ["hallmark", "artisan_card", "reach_nickel", "wfto", "nest", "fairmined", "iso_9001", "rjc",
                  "reach_lead_cadmium", "fair_trade", "smeta", "reach"],
    "metalware": ["artisan_card", "eu_food_contact", "iso_9001", "wfto", "lfgb", "amfori_bsci", "iso_14001",
                  "fair_trade", "smeta", "reach", "sa8000"],
    "lighting": ["ce_marking", "artisan_card", "iso_9001", "wfto", "amfori_bsci", "reach"],
    "textiles": ["artisan_card", "wfto", "gots", "fair_trade", "nest", "fairtrade", "smeta"],
    "pottery": ["artisan_card", "ceramic_lead_cadmium", "eu_food_contact", "wfto", "lfgb", "iso_9001"],
    "leather": ["artisan_card", "wfto", "reach", "amfori_bsci", "smeta", "sa8000"],
    "wood": ["artisan_card", "fsc", "eu_food_contact", "wfto", "fair_trade"],
    "basketry": ["artisan_card", "wfto", "fair_trade", "fairtrade", "nest"],
}
PRACTICE_ORDER = ["heritage", "women_led", "fair_wages", "local_materials", "recycled_metal", "apprentice_training",
                  "lead_free", "plastic_free_packaging", "natural_dyes", "no_child_labour", "nickel_free", "low_waste",
                  "renewable_energy", "water_treatment"]


def fill(rng: random.Random, text: str, place: str) -> str:
    """A free label's slots: a year, a lab, a number, a place."""
    return (text.replace("{year}", str(rng.randint(2008, 2026))).replace("{lab}", rng.choice(data("catalogue_labels")
            ["labs"])).replace("{num}", str(rng.randint(100, 99_999))).replace("{place}", place))


class Labels:
    """Draws the labelled fields of one sheet; returns labels and their pool components."""

    def __init__(self) -> None:
        d = data("catalogue_labels")
        self.free = {k: Zipf(v, s=1.0) for k, v in d["products"].items()}
        self.free_materials = Zipf(d["materials"], s=1.0)
        self.free_techniques = Zipf(d["techniques"], s=1.0)
        self.free_certs = Zipf(d["certifications"], s=1.0)
        self.free_practices = Zipf(d["sustainability"], s=1.0)
        self.abbrev, self.qualifiers = d["abbreviations"], d["qualifiers"]
        self.cert_suffixes = d["certification_suffixes"]
        self.certs = {f: Zipf(order, s=1.1) for f, order in CERT_ORDER.items()}
        self.practices = Zipf(PRACTICE_ORDER, s=0.9)
        families = data("catalogue_places")["families"]
        self.materials = {f: weighted(v["materials"]) for f, v in families.items()}
        self.techniques = {f: weighted(v["techniques"]) for f, v in families.items()}
        self.families = list(families)

    def _noisy(self, rng: random.Random, surface: str, lang: str, place: str, qualify: float) -> str:
        r = rng.random()
        if r < 0.04:  # abbreviated when officers have a short form for it
            return str(self.abbrev.get(surface, surface))
        if r < 0.07:
            return typo(rng, surface)
        if r < 0.07 + qualify:
            return surface + fill(rng, rng.choice(self.qualifiers[lang]), place)
        return surface

    def _concepts(self, rng: random.Random, vocabulary: str, ids: list[str], lang: str, place: str,
                  qualify: float) -> tuple[list[str], list[str]]:
        labels, parts = [], []
        for cid in ids:
            surface = surfaces(vocabulary, cid, lang).draw(rng)
            labels.append(self._noisy(rng, surface, lang, place, qualify))
            parts.append(f"{vocabulary}:{surface}")
        return labels, parts

    def products(self, rng: random.Random, family: str, lang: str,
                 place: str) -> tuple[list[str], list[str], list[str]]:
        """(labels, components, product type ids): 1-12 types, some free terms, now and then another family's."""
        types = family_types(family).draw_distinct(rng, count(rng, 0.0, 1.4, 12))
        if rng.random() < 0.04:
            types += family_types(rng.choice(self.families)).draw_distinct(rng, 1)
        types = list(dict.fromkeys(types))
        labels, parts = self._concepts(rng, "products", types, lang, place, 0.12)
        if rng.random() < 0.14 or not labels:
            free = self.free[family].draw(rng)
            labels.append(free)
            parts.append(f"free:{free}")
        return labels, parts, types

    def listed(self, rng: random.Random, vocabulary: str, family: str, lang: str,
               place: str) -> tuple[list[str], list[str]]:
        """(labels, components) of a sheet's materials or techniques: the family's usual ones, now and then
        a term no vocabulary knows; sometimes none stated."""
        table, free, p_zero, mean, p_free = {
            "materials": (self.materials, self.free_materials, 0.12, 0.7, 0.08),
            "techniques": (self.techniques, self.free_techniques, 0.25, 0.8, 0.06)}[vocabulary]
        ids = table[family].draw_distinct(rng, count(rng, p_zero, mean, 5))
        labels, parts = self._concepts(rng, vocabulary, ids, lang, place, 0.0)
        if rng.random() < p_free:
            term = free.draw(rng)
            labels.append(term)
            parts.append(f"free:{term}")
        return labels, parts

    def certifications(self, rng: random.Random, family: str, place: str) -> list[str]:
        """0-6 certificates: aliases with lab, year or number written after them; local labels no vocabulary knows."""
        out = []
        for _ in range(count(rng, 0.5, 0.6, 6)):
            if rng.random() < 0.15:
                out.append(fill(rng, self.free_certs.draw(rng), place))
                continue
            cid = self.certs[family].draw(rng)
            alias = surfaces("certifications", cid, "fr" if rng.random() < 0.8 else "ar").draw(rng)
            if rng.random() < 0.2:
                alias += fill(rng, rng.choice(self.cert_suffixes), place)
            out.append(typo(rng, alias) if rng.random() < 0.03 else alias)
        return list(dict.fromkeys(out))

    def sustainability(self, rng: random.Random, lang: str, place: str) -> list[str]:
        out = []
        for cid in self.practices.draw_distinct(rng, count(rng, 0.45, 0.9, 6)):
            if rng.random() < 0.12:
                out.append(fill(rng, self.free_practices.draw(rng), place))
            else:
                out.append(self._noisy(rng, surfaces("sustainability", cid, lang).draw(rng), lang, place, 0.0))
        return list(dict.fromkeys(out))
