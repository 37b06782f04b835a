"""From free-text records to canonical ids: what a supplier offers, what a buyer asks.

Both sides go through the same vocabularies, so a French officer's
"poinçon de garantie" and an English buyer's "hallmarked" meet.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher import vocab
from matcher.schema import BuyerRequest, Supplier
from matcher.textnorm import guess_language


def supplier_text(s: Supplier) -> str:
    """The text embedded for a supplier: what it makes first, then the story."""
    parts = ["; ".join(s.products), "; ".join(s.materials), "; ".join(s.techniques), s.description]
    return ". ".join(p for p in parts if p)


def request_text(r: BuyerRequest) -> str:
    parts = ["; ".join(r.products), "; ".join(r.materials), r.description]
    return ". ".join(p for p in parts if p)


def _families_of_hs(codes: list[str]) -> list[str]:
    families = vocab.load("families").concepts.values()
    return [f.id for f in families if any(code[:4] in f.attrs.get("hs", []) for code in codes)]


def product_ids(products: list[str], hs_codes: list[str], extra_text: str = "") -> tuple[set[str], set[str]]:
    """(product types, product families) named by products, HS codes and optional text.

    A type shared by several families (a plate: metal or clay) decides the
    family only when nothing else (HS code, family word) does.
    """
    types_vocab, fam_vocab = vocab.load("products"), vocab.load("families")
    types: set[str] = set()
    families: set[str] = set(_families_of_hs(hs_codes))
    ambiguous: set[str] = set()
    for text in [*products, extra_text]:
        if not text:
            continue
        found = types_vocab.find(text)
        types.update(found)
        for tid in found:
            fams = types_vocab.concepts[tid].attrs.get("families", [])
            (families if len(fams) == 1 else ambiguous).update(fams)
        families.update(fam_vocab.find(text))
    return types, families or ambiguous


@dataclass(frozen=True)
class SupplierFeatures:
    types: set[str]
    families: set[str]
    hs6: set[str]
    hs4: set[str]
    certifications: set[str]
    sustainability: set[str]
    materials: set[str]


def supplier_features(s: Supplier) -> SupplierFeatures:
    types, families = product_ids(s.products, s.hs_codes)
    return SupplierFeatures(
        types=types,
        families=families,
        hs6={c for c in s.hs_codes if len(c) == 6},
        hs4={c[:4] for c in s.hs_codes},
        certifications=vocab.load("certifications").expand(vocab.load("certifications").canonicalize(s.certifications)),
        sustainability=vocab.load("sustainability").expand(vocab.load("sustainability").canonicalize(s.sustainability)),
        materials=set(vocab.load("materials").canonicalize(s.materials)),
    )


@dataclass(frozen=True)
class RequestFeatures:
    text: str
    language: str | None
    types: list[str]
    families: list[str]
    hs6: list[str]
    hs4: list[str]
    required_certifications: list[str]
    preferred_certifications: list[str]
    sustainability: list[str]
    materials: list[str]


def request_features(r: BuyerRequest) -> RequestFeatures:
    # The description counts too: many buyers only write prose.
    types, families = product_ids(r.products, r.hs_codes, r.description)
    certs = vocab.load("certifications")
    required = certs.canonicalize(r.required_certifications)
    preferred = [c for c in certs.canonicalize(r.preferred_certifications) if c not in required]
    return RequestFeatures(
        text=request_text(r),
        language=r.language or guess_language(r.description),
        types=sorted(types),
        families=sorted(families),
        hs6=sorted({c for c in r.hs_codes if len(c) == 6}),
        hs4=sorted({c[:4] for c in r.hs_codes}),
        required_certifications=required,
        preferred_certifications=preferred,
        sustainability=vocab.load("sustainability").canonicalize(r.sustainability),
        materials=vocab.load("materials").canonicalize(r.materials),
    )
