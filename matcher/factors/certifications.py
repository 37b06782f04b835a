"""Certifications: preferred ones as a score (coverage), required ones as must-haves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from matcher.columns import BinarySet, Words
from matcher.factors.base import Columns, Factor, Gate, Reason, RequestContext, terms
from matcher.factors.registry import register
from matcher.features import supplier_terms
from matcher.textnorm import tokens
from matcher.vocab import OTHER

if TYPE_CHECKING:
    from matcher.index import SupplierIndex
    from matcher.schema import Supplier


@register
class Certifications(Factor):
    name = "certifications"
    position = 70
    default_weight = 1.0
    kinds = ("has", "missing")

    def columns(self, suppliers: list[Supplier]) -> Columns:
        # Folded words of each sheet (certificates as written, products, description): a required
        # certificate no vocabulary knows is looked for there, accent- and case-blind.
        texts = (tokens(" ".join([*s.certifications, *s.products, s.description])) for s in suppliers)
        return {"set": BinarySet(supplier_terms("certifications", s.certifications) for s in suppliers),
                "text": Words(texts)}

    def query(self, ctx: RequestContext) -> Any | None:
        return ctx.features.preferred_certifications or None

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        return self.cols(index)["set"].coverage(q)

    def gates(self, index: SupplierIndex, ctx: RequestContext) -> list[Gate]:
        cols, gates = self.cols(index), []
        for cert in ctx.features.required_certifications:
            label = terms("certifications", [cert])
            if cert.startswith(OTHER):
                label = {"text": ctx.features.written.get(cert, cert[len(OTHER):])}
                found = cols["text"].phrase(cert[len(OTHER):].split())
                gates.append(Gate(f"certification:{cert}", label, ~found, by_text=True))
            else:
                gates.append(Gate(f"certification:{cert}", label, ~cols["set"].has(cert)))
        return gates

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        have = self.cols(index)["set"].row(i)
        out = [self.reason("has", label=terms("certifications", [cert])) for cert in q if cert in have]
        lacking = [c for c in q if c not in have]
        if lacking:
            out.append(self.reason("missing", items=terms("certifications", lacking)))
        return out
