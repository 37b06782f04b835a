"""Buyer requests for benchmarks: distinct prose in six languages (en fr it de es ar) with the requirements
inside (quantity, lead time, price ceiling, certificates as must-haves or wishes, practices, custom
designs, samples, export experience), and some of them repeated in structured fields, as buyers do.

A latency benchmark sends a new text every call: ``RequestGenerator(seed).requests(n)`` yields ``n``
requests whose descriptions are all different, deterministically for the seed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from benchmarks.catalogue_labels import PRACTICE_ORDER, Zipf, count, data, family_types, listing, surfaces, weighted
from benchmarks.catalogue_sheets import nice
from matcher.schema import BuyerRequest

LEAD_DAYS = [60, 45, 30, 90, 21, 75, 120, 14, 35, 50]
CERTS = {"jewellery": ["hallmark", "reach_nickel", "wfto", "fairmined", "nest", "fairtrade_gold"],
         "metalware": ["eu_food_contact", "wfto", "iso_9001", "amfori_bsci", "ce_marking"],
         "lighting": ["ce_marking", "wfto", "iso_9001"],
         "textiles": ["wfto", "gots", "oeko_tex", "nest"],
         "pottery": ["eu_food_contact", "wfto", "iso_9001"],
         "leather": ["wfto", "amfori_bsci", "oeko_tex"],
         "wood": ["wfto", "iso_9001"], "basketry": ["wfto", "nest"]}


def number(n: int, lang: str, rng: random.Random) -> str:
    """A quantity as written in ``lang``: 1,200 / 1 200 / 1.200 (or no separator)."""
    if n < 1000 or rng.random() < 0.4:
        return str(n)
    sep = {"en": ",", "fr": " ", "ar": ","}.get(lang, ".")
    return f"{n:,}".replace(",", sep)


def in_prose(labels: list[str], lang: str) -> list[str]:
    """Labels as written inside a sentence: "Vases" in a field, "vases" in prose (German nouns keep theirs)."""
    return labels if lang == "de" else [x[:1].lower() + x[1:] for x in labels]


class RequestGenerator:
    """``RequestGenerator(seed).requests(n)``: n buyer requests with distinct descriptions."""

    def __init__(self, seed: int = 7) -> None:
        self.seed = seed
        self.ph = data("catalogue_requests")
        self.languages = weighted(self.ph["languages"])
        self.families = weighted(self.ph["families"])
        self.buyer_types = weighted(self.ph["buyer_types"])
        self.leads = Zipf(LEAD_DAYS, s=0.9)
        self.certs = {f: Zipf(c, s=1.0) for f, c in CERTS.items()}
        self.practices = Zipf(PRACTICE_ORDER, s=0.9)
        places = data("catalogue_places")["families"]
        self.materials = {f: weighted(v["materials"]) for f, v in places.items()}
        self.prices = {f: float(v["price_median"]) for f, v in places.items()}

    def requests(self, n: int) -> Iterator[BuyerRequest]:
        rng, seen = random.Random(f"requests/{self.seed}"), set()
        i = 0
        while i < n:
            request = self.request(rng, i)
            if request.description not in seen:  # a new text every call: never the same description twice
                seen.add(request.description)
                i += 1
                yield request

    def request(self, rng: random.Random, i: int) -> BuyerRequest:
        lang, family = self.languages.draw(rng), self.families.draw(rng)
        ph, shared = self.ph[lang], self.ph
        types = family_types(family).draw_distinct(rng, count(rng, 0.0, 0.6, 4))
        products = [surfaces("products", t, lang).draw(rng) for t in types]
        materials = [surfaces("materials", m, lang).draw(rng)
                     for m in self.materials[family].draw_distinct(rng, count(rng, 0.25, 0.3, 3))]
        qty = nice(min(50_000.0, max(5.0, rng.lognormvariate(5.3, 1.1))))
        days = self.leads.draw(rng) if rng.random() < 0.8 else None
        price = float(nice(self.prices[family] * rng.lognormvariate(0.3, 0.6))) if rng.random() < 0.6 else None
        required = self.certs[family].draw(rng) if rng.random() < 0.3 else None
        preferred = self.certs[family].draw(rng) if rng.random() < 0.3 else None
        preferred = None if preferred == required else preferred
        practices = [surfaces("sustainability", p, lang).draw(rng)
                     for p in self.practices.draw_distinct(rng, count(rng, 0.6, 0.4, 3))]
        flags = {"customization_required": rng.random() < 0.2, "samples_required": rng.random() < 0.15,
                 "export_experience_required": rng.random() < 0.1}
        city = rng.choice(shared["cities"][lang])
        buyer = rng.choice(shared["buyer_names"][lang]).replace("{city}", city)
        prose, stuff, ways = (in_prose(x, lang) for x in (products, materials, practices))
        slots = {"{buyer}": buyer, "{city}": city, "{qty}": number(qty, lang, rng),
                 "{unit}": rng.choice(shared["units"][lang]), "{products}": listing(prose, lang),
                 "{materials}": listing(stuff, lang) if stuff else "",
                 "{days}": str(days), "{weeks}": str((days or 0) // 7),
                 "{price}": f"{price or 0:g}", "{season}": rng.choice(shared["seasons"][lang])}
        cert_name = shared["certs"]
        pieces = [rng.choice(ph["need"] if materials else ph["need_plain"])]
        if days:
            lead = rng.choice(ph["lead"] if days % 7 == 0 else [t for t in ph["lead"] if "{weeks}" not in t])
            pieces.append(lead)
        if price is not None:
            pieces.append(rng.choice(ph["price"]))
        if required:
            pieces.append(rng.choice(ph["required"]).replace("{cert}", cert_name[required][lang]))
        if preferred:
            pieces.append(rng.choice(ph["preferred"]).replace("{cert}", cert_name[preferred][lang]))
        if practices:
            pieces.append(rng.choice(ph["practice"]).replace("{practice}", listing(ways, lang)))
        for flag, key in (("customization_required", "custom"), ("samples_required", "samples"),
                          ("export_experience_required", "export")):
            if flags[flag]:
                pieces.append(rng.choice(ph[key]))
        rng.shuffle(pieces)  # buyers state their needs in any order
        text = " ".join(p for p in [rng.choice(ph["intro"]), *pieces, rng.choice(ph["close"])] if p)
        for key, value in slots.items():
            text = text.replace(key, value)
        record: dict[str, object] = {
            "request_id": f"BR-{self.seed}-{i:07d}", "buyer_name": buyer,
            "buyer_country": rng.choice(shared["buyer_countries"][lang]), "buyer_type": self.buyer_types.draw(rng),
            "description": text,
            "language": lang if rng.random() < 0.2 else None,
            "products": products if rng.random() < 0.65 else [],
            "materials": materials if rng.random() < 0.5 else [],
            "quantity": qty if rng.random() < 0.7 else None,
            "max_lead_time_days": days if days and rng.random() < 0.5 else None,
            "max_unit_price_eur": price if price is not None and rng.random() < 0.4 else None,
            "preferred_countries": ["DZ"] if rng.random() < 0.05 else [],
        }
        if rng.random() < 0.5:
            record["required_certifications"] = [cert_name[required][lang]] if required else []
            record["preferred_certifications"] = [cert_name[preferred][lang]] if preferred else []
            record["sustainability"] = practices
            record.update({k: v for k, v in flags.items() if v})
        return BuyerRequest.model_validate(record)


def write_requests(path: str | Path, n: int, seed: int = 7) -> int:
    """Write ``n`` requests as JSON lines (the format ``matcher import requests`` reads); returns n."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for request in RequestGenerator(seed).requests(n):
            out.write(json.dumps(request.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False) + "\n")
    tmp.replace(path)
    return n
