"""From records to canonical ids: what a supplier offers, what a buyer asks.

Both sides go through the same vocabularies and the same term reading (matcher.understanding:
codes, typos, abbreviations), so a French officer's "poinçon de garantie" and an English
buyer's "hallmarked" meet, and so do "REACH nikel" and "REACH nickel (EN 1811)".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matcher import vocab
from matcher.schema import BuyerRequest, Supplier
from matcher.textnorm import tokens
from matcher.understanding import Interpretation, Understood, understand
from matcher.understanding.terms import terms


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


def hs_types(codes: list[str]) -> set[str]:
    """Product types that a 6-digit HS code names on its own (940540: lanterns; not 711311: any
    silver jewellery)."""
    out: set[str] = set()
    products = vocab.load("products").concepts.values()
    for code in codes:
        named = [c.id for c in products if code in c.attrs.get("hs", [])]
        if len(named) == 1:
            out.add(named[0])
    return out


def families_of(types: set[str], texts: list[str], hs_codes: list[str]) -> set[str]:
    """Families named by HS codes and family words; a product type shared by several families
    (a plate: metal or clay) decides the family only when nothing else does."""
    types_vocab, fam_vocab = vocab.load("products"), vocab.load("families")
    families = set(_families_of_hs(hs_codes))
    ambiguous: set[str] = set()
    for tid in types:
        fams = types_vocab.concepts[tid].attrs.get("families", []) if tid in types_vocab.concepts else []
        (families if len(fams) == 1 else ambiguous).update(fams)
    for text in texts:
        if text:
            families.update(fam_vocab.find(text))
    return families or ambiguous


def product_ids(products: list[str], hs_codes: list[str], extra_text: str = "") -> tuple[set[str], set[str]]:
    """(product types, product families) named by products (typos tolerated), HS codes and text."""
    types: set[str] = set()
    for label in products:
        types.update(terms("products").resolve(label).ids)
    if extra_text:
        types.update(vocab.load("products").find(extra_text))
    return types, families_of(types, [*products, extra_text], hs_codes)


def _resolved(name: str, labels: list[str]) -> list[str]:
    """Canonical ids of field labels (typos and codes read); unknown labels as other:<folded text>."""
    out: list[str] = []
    for label in labels:
        ids = terms(name).resolve(label).ids or [vocab.OTHER + " ".join(tokens(label))]
        out += [i for i in ids if i not in out]
    return out


@dataclass(frozen=True)
class SupplierFeatures:
    types: set[str]
    families: set[str]
    hs6: set[str]
    hs4: set[str]
    certifications: set[str]
    sustainability: set[str]
    materials: set[str]


def supplier_products(s: Supplier) -> tuple[set[str], set[str]]:
    """(product types, families) a sheet names; its description counts when its products column
    names nothing the vocabulary knows."""
    types, families = product_ids(s.products, s.hs_codes)
    if not types:
        types, families = product_ids(s.products, s.hs_codes, s.description)
    return types, families


def supplier_terms(name: str, labels: list[str]) -> set[str]:
    """Canonical ids of a sheet's certificates, practices or materials (with what they imply)."""
    return vocab.load(name).expand(_resolved(name, labels))


def supplier_features(s: Supplier) -> SupplierFeatures:
    """Everything the vocabularies read in one sheet (the factors read the parts they need)."""
    types, families = supplier_products(s)
    return SupplierFeatures(
        types=types,
        families=families,
        hs6={c for c in s.hs_codes if len(c) == 6},
        hs4={c[:4] for c in s.hs_codes},
        certifications=supplier_terms("certifications", s.certifications),
        sustainability=supplier_terms("sustainability", s.sustainability),
        materials=supplier_terms("materials", s.materials),
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
    interpretation: Interpretation | None = field(default=None, compare=False)
    written: dict[str, str] = field(default_factory=dict, compare=False)  # unknown term id -> as typed


def features_of(u: Understood, extracted: bool = True) -> RequestFeatures:
    """Features of an understood request: field ids, plus what was applied from its description."""
    r = u.request
    field_types = {t for t in u.ids["products"] if not t.startswith(vocab.OTHER)}
    if extracted:
        types = field_types | set(u.text_products) | hs_types(r.hs_codes)
    else:  # the ablation "extraction off": the round-1 reading of the description, exact words only
        types = field_types | set(vocab.load("products").find(r.description))
    families = families_of(types, [*r.products, r.description], r.hs_codes)
    return RequestFeatures(
        text=request_text(r),
        language=u.interpretation.language,
        types=sorted(types),
        families=sorted(families),
        hs6=sorted({c for c in r.hs_codes if len(c) == 6}),
        hs4=sorted({c[:4] for c in r.hs_codes}),
        required_certifications=u.ids["required_certifications"],
        preferred_certifications=u.ids["preferred_certifications"],
        sustainability=u.ids["sustainability"],
        materials=u.ids["materials"],
        interpretation=u.interpretation,
        written=u.written,
    )


def request_features(request: BuyerRequest, extract: bool = True) -> RequestFeatures:
    """Understand ``request`` and return its features (tests and benchmarks; the engine keeps both)."""
    return features_of(understand(request, extract), extract)
