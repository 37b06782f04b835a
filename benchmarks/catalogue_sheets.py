"""Supplier sheets of the benchmark catalogue: a deterministic, streaming generator (benchmarks/catalogue.py).

Shaped like data/suppliers.csv and data/README.md: chamber sheets mostly in French, often in Arabic,
sometimes in English; one-woman workshops beside 60-worker firms (capacity, minimum order, lead time
and prices skewed accordingly); 21 clusters or regions in 9 countries (benchmarks/catalogue_places.json);
labels drawn from matcher/vocabularies with Zipf-like frequencies plus abbreviations, typos and free
terms (benchmarks/catalogue_labels.py); descriptions composed from phrase fragments
(benchmarks/catalogue_phrases.json) and the sheet's own numbers, so nearly every text is distinct.

Suppliers come in blocks of ``BLOCK``, each drawn from its own ``random.Random(seed, block)``: the
first n suppliers of a larger catalogue are the catalogue of size n, and nothing is held beyond one
block. ``write_catalogue`` streams them into a :class:`matcher.store.Store` with their vectors
(benchmarks/catalogue_vectors.py).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from benchmarks.catalogue_labels import Labels, Zipf, count, data, listing, weighted
from matcher.schema import Supplier

BLOCK = 1000
SIZE_BUCKETS = {"solo": 30, "small": 45, "coop": 10, "firm": 15}
LEAD_TIMES = [30, 45, 60, 21, 15, 40, 90, 20, 35, 28, 50, 14, 10, 75, 120, 7, 25, 180, 5, 100]
NEUTRAL_PLACE = {"fr": "la ville", "ar": "المدينة", "en": "the town"}


@dataclass
class Sheet:
    """One generated supplier and the pool components its text is made of (key, weight)."""

    supplier: Supplier
    parts: list[tuple[str, float]]


def nice(x: float) -> int:
    """A number as an officer writes it: 7, 35, 150, 1 200, 5 000."""
    step = 1 if x < 20 else 5 if x < 100 else 10 if x < 500 else 50 if x < 2000 else 100 if x < 10_000 else 500
    return max(1, int(round(x / step) * step))


class CatalogueGenerator:
    """``generator.sheets(n)`` yields the first n sheets of the catalogue of ``seed``."""

    def __init__(self, seed: int = 7) -> None:
        self.seed = seed
        places = data("catalogue_places")
        self.clusters = weighted({c["id"]: c["weight"] for c in places["clusters"]})
        self.cluster = {c["id"]: c for c in places["clusters"]}
        self.family_of = {c["id"]: weighted(c["families"]) for c in places["clusters"]}
        self.lang_of = {c["id"]: weighted(c["sheet_languages"]) for c in places["clusters"]}
        self.place_of = {c["id"]: Zipf(c["places"], s=1.0) for c in places["clusters"]}
        self.families = places["families"]
        self.country_languages = places["country_languages"]
        self.markets = Zipf(places["export_markets"], s=1.1)
        self.buckets = weighted(SIZE_BUCKETS)
        self.leads = Zipf(LEAD_TIMES, s=0.8)
        self.phrases = data("catalogue_phrases")
        self.labels = Labels()

    def sheets(self, n: int) -> Iterator[Sheet]:
        for block in range((n + BLOCK - 1) // BLOCK):
            yield from self.block(block, min(BLOCK, n - block * BLOCK))

    def block(self, block: int, size: int = BLOCK) -> list[Sheet]:
        rng = random.Random(f"catalogue/{self.seed}/{block}")
        return [self.sheet(rng, block * BLOCK + j) for j in range(size)]

    # -- one sheet -------------------------------------------------------------
    def sheet(self, rng: random.Random, i: int) -> Sheet:
        cid = self.clusters.draw(rng)
        cl, family, lang = self.cluster[cid], self.family_of[cid].draw(rng), self.lang_of[cid].draw(rng)
        place, country = self.place_of[cid].draw(rng), cl["country"]
        bucket = self.buckets.draw(rng)
        employees = self._employees(rng, bucket)
        fam = self.families[family]
        capacity = nice(max(1.0, employees * fam["productivity"] * rng.lognormvariate(0, 0.6)))
        products, product_parts, types = self.labels.products(rng, family, lang, place)
        materials, material_parts = self.labels.listed(rng, "materials", family, lang, place)
        techniques, technique_parts = self.labels.listed(rng, "techniques", family, lang, place)
        markets = self.markets.draw_distinct(rng, count(rng, {"solo": 0.8, "small": 0.6, "coop": 0.35,
                                                              "firm": 0.2}[bucket], 1.5, 14))
        lead = self.leads.draw(rng) + (rng.choice([0, 0, 15, 30]) if bucket == "solo" else 0)
        description, frag_parts = self._description(rng, lang, bucket, family, place, employees, products,
                                                    materials, techniques, markets, capacity, lead)
        lo, hi = self._prices(rng, fam, bucket)
        record = {
            "supplier_id": f"{country}-{cid[:3].upper()}-{i:07d}",
            "name": self._name(rng, lang, bucket, family, place),
            "country": country,
            "region": place if rng.random() < 0.9 else None,
            "cluster": cl["cluster"] if cl["cluster"] and rng.random() < 0.85 else None,
            "description": description,
            "products": products,
            "hs_codes": self._hs_codes(rng, types),
            "materials": materials,
            "techniques": techniques,
            "monthly_capacity": capacity,
            "min_order_qty": 1 if rng.random() < 0.3 else nice(max(1.0, capacity * rng.uniform(0.005, 0.15))),
            "lead_time_days": lead,
            "price_min_eur": lo,
            "price_max_eur": hi,
            "certifications": self.labels.certifications(rng, family, place),
            "sustainability": self.labels.sustainability(rng, lang, place),
            "export_markets": [m for m in markets if m != country],
            "languages": self._languages(rng, country, lang, cl["extra_languages"], bucket),
            "employees": employees if rng.random() < 0.85 else None,
            "customization": rng.choices([True, False, None], [70, 15, 15])[0],
            "samples": rng.choices([True, False, None], [60, 20, 20])[0],
            "contact_email": f"atelier{i}@example.{country.lower()}" if rng.random() < 0.4 else None,
        }
        parts = [(p, 1.5) for p in product_parts] + [(p, 1.0) for p in material_parts + technique_parts]
        return Sheet(Supplier.model_validate(record), parts + frag_parts + [(f"place:{place}", 0.5)])

    def _employees(self, rng: random.Random, bucket: str) -> int:
        if bucket == "solo":
            return 1
        if bucket == "small":
            return min(9, 2 + int(rng.expovariate(0.45)))
        if bucket == "coop":
            return min(120, 8 + int(rng.lognormvariate(2.6, 0.7)))
        return min(400, 10 + int(rng.lognormvariate(2.8, 0.9)))

    def _prices(self, rng: random.Random, fam: dict[str, float], bucket: str) -> tuple[float | None, float | None]:
        r = rng.random()
        if r < 0.2:
            return None, None
        scale = {"solo": 1.6, "small": 1.1, "coop": 0.9, "firm": 0.6}[bucket]
        lo = float(nice(fam["price_median"] * scale * rng.lognormvariate(0, fam["price_sigma"])))
        hi = float(nice(lo * rng.uniform(1.3, 6.0)))
        return (lo, None) if r < 0.25 else (None, hi) if r < 0.3 else (lo, max(lo, hi))

    def _hs_codes(self, rng: random.Random, types: list[str]) -> list[str]:
        from matcher import vocab

        if rng.random() < 0.35:
            return []
        concepts = vocab.load("products").concepts
        codes = []
        for t in types[:3]:
            hs = concepts[t].attrs.get("hs", [])
            if hs:
                code = hs[0] if rng.random() < 0.6 else rng.choice(hs)
                codes.append(code[:4] if rng.random() < 0.1 else code)
        return list(dict.fromkeys(codes))

    def _languages(self, rng: random.Random, country: str, lang: str, extra: list[str], bucket: str) -> list[str]:
        if rng.random() < 0.08:
            return []
        langs = [lang] + [x for x in self.country_languages.get(country, []) if rng.random() < 0.85]
        langs += [x for x in extra if rng.random() < 0.6]
        if rng.random() < {"solo": 0.08, "small": 0.15, "coop": 0.3, "firm": 0.5}[bucket]:
            langs.append("en")
        return list(dict.fromkeys(langs))

    def _name(self, rng: random.Random, lang: str, bucket: str, family: str, place: str) -> str:
        names = self.phrases["names"]
        template = rng.choice(names[lang][bucket])
        return (template.replace("{given}", rng.choice(names["given"])).replace("{given_ar}", rng.choice(
            names["given_ar"])).replace("{surname}", rng.choice(names["surname"])).replace(
            "{surname_ar}", rng.choice(names["surname_ar"])).replace("{place_name}", place).replace(
            "{craft}", rng.choice(names["craft"][family])))

    def _description(self, rng: random.Random, lang: str, bucket: str, family: str, place: str, n: int,
                     products: list[str], materials: list[str], techniques: list[str], markets: list[str],
                     cap: int, lead: int) -> tuple[str, list[tuple[str, float]]]:
        ph = self.phrases[lang]
        slots = {"{place}": place, "{n}": str(n), "{products}": listing(products, lang),
                 "{materials}": listing(materials, lang) if materials else NEUTRAL_MATERIAL[lang],
                 "{techniques}": listing(techniques, lang) if techniques else NEUTRAL_TECHNIQUE[lang],
                 "{markets}": ", ".join(markets) or "FR", "{cap}": str(cap), "{lead}": str(lead),
                 "{year}": str(rng.randint(1975, 2025)), "{founder}": rng.choice(self.phrases["names"]["given"]),
                 "{city}": rng.choice(self.phrases["cities"])}
        chosen = [(bucket, rng.randrange(len(ph[bucket]))), ("make", rng.randrange(len(ph["make"])))]
        if techniques and rng.random() < 0.5:
            chosen.append(("technique", rng.randrange(len(ph["technique"]))))
        if rng.random() < 0.6:
            chosen.append((f"style.{family}", rng.randrange(len(ph["style"][family]))))
        for k in sorted(rng.sample(range(len(ph["extra"])), count(rng, 0.2, 1.0, 4))):
            chosen.append(("extra", k))
        texts, parts = [], []
        for slot, k in chosen:
            template = ph["style"][family][k] if slot.startswith("style.") else ph[slot][k]
            text = template
            for key, value in slots.items():
                text = text.replace(key, value)
            texts.append(text[0].upper() + text[1:] if slot == "make" else text)
            if slot != "make":  # a making sentence is its products and materials, already components
                parts.append((f"frag:{lang}:{slot}:{k}", 1.0))
        return " ".join(texts), parts

    def pool(self) -> dict[str, str]:
        """Every component a sheet can be made of -> the text embedded for it (see catalogue_vectors)."""
        from benchmarks.catalogue_labels import family_types, surfaces

        out: dict[str, str] = {}
        for lang in ("fr", "ar", "en"):
            for family in self.families:
                for cid in family_types(family).items:
                    out.update((f"products:{s}", s) for s in surfaces("products", cid, lang).items)
                for cid in self.labels.materials[family].items:
                    out.update((f"materials:{s}", s) for s in surfaces("materials", cid, lang).items)
                for cid in self.labels.techniques[family].items:
                    out.update((f"techniques:{s}", s) for s in surfaces("techniques", cid, lang).items)
            ph = self.phrases[lang]
            neutral = {"{place}": NEUTRAL_PLACE[lang], "{n}": "5", "{year}": "2010", "{founder}": "Nadia",
                       "{markets}": "FR", "{cap}": "100", "{lead}": "30", "{city}": "Paris",
                       "{techniques}": NEUTRAL_TECHNIQUE[lang]}
            groups = {**{s: ph[s] for s in (*SIZE_BUCKETS, "technique", "extra")},
                      **{f"style.{f}": v for f, v in ph["style"].items()}}
            for slot, templates in groups.items():
                for k, template in enumerate(templates):
                    text = template
                    for key, value in neutral.items():
                        text = text.replace(key, value)
                    out[f"frag:{lang}:{slot}:{k}"] = text
        labels = data("catalogue_labels")
        free_terms = [t for terms in labels["products"].values() for t in terms]
        for free in [*free_terms, *labels["materials"], *labels["techniques"]]:
            out[f"free:{free}"] = free
        for cl in self.cluster.values():
            out.update((f"place:{p}", p) for p in cl["places"])
        return out


NEUTRAL_MATERIAL = {"fr": "matières locales", "ar": "مواد محلية", "en": "local materials"}
NEUTRAL_TECHNIQUE = {"fr": "travail main", "ar": "عمل يدوي", "en": "handwork"}
