"""Small synthetic catalogues for the benchmarks that need one quickly (API load, understanding, fair
planning): a handful of products, certificates and practices, uniform sizes. The scale benchmarks use
the long-tail catalogue of scripts/make_catalogue.py instead.
"""

from __future__ import annotations

import numpy as np

from matcher.schema import BuyerRequest, Supplier

PRODUCTS = ["boucles d'oreilles", "bracelets", "colliers", "fibules", "bagues", "plateaux", "cafetières",
            "lanternes", "casseroles", "théières", "tapis", "paniers"]
CERTS = ["WFTO", "poinçon de garantie", "REACH nickel", "ISO 9001", "marquage CE", "contact alimentaire",
         "Nest Seal", "Label local"]
PRACTICES = ["argent recyclé", "women-led", "fair wages", "sans plomb", "emballage sans plastique"]
COUNTRIES = ["DZ", "TN", "MA", "EG"]


def synthetic(n: int, seed: int = 7) -> list[Supplier]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        lo = float(rng.integers(2, 200))
        out.append(Supplier.model_construct(
            supplier_id=f"SYN-{i:06d}", name=f"Atelier {i}", country=COUNTRIES[i % 4], region=None, cluster=None,
            description="synthetic", products=list(rng.choice(PRODUCTS, size=2, replace=False)), hs_codes=[],
            materials=["argent"] if i % 2 else ["cuivre"], techniques=[],
            monthly_capacity=int(rng.integers(5, 6000)), min_order_qty=int(rng.integers(1, 500)),
            lead_time_days=int(rng.integers(5, 120)), price_min_eur=lo, price_max_eur=lo * 2,
            certifications=list(rng.choice(CERTS, size=int(rng.integers(0, 3)), replace=False)),
            sustainability=list(rng.choice(PRACTICES, size=int(rng.integers(0, 3)), replace=False)),
            export_markets=["FR", "DE"][: int(rng.integers(0, 3))], languages=["fr", "ar"], employees=None,
            customization=bool(i % 3), samples=bool(i % 5), contact_email=None, extra={},
        ))
    return out

REQUEST = BuyerRequest(
    buyer_name="Bench", description="Boucles d'oreilles et bracelets en argent recyclé", products=["earrings"],
    materials=["silver"], quantity=400, max_lead_time_days=60, max_unit_price_eur=40, buyer_country="FR",
    required_certifications=["poinçon"], preferred_certifications=["REACH nickel", "WFTO"],
    sustainability=["recycled silver", "women-led"], customization_required=True,
)

