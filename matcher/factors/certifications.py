"""Certifications: preferred ones as a score (coverage), required ones as must-haves."""

from __future__ import annotations

from typing import Any

import numpy as np

from matcher.columns import BinarySet
from matcher.factors.base import Columns, Factor, Gate, Reason, RequestContext, terms
from matcher.factors.registry import register


@register
class Certifications(Factor):
    name = "certifications"
    position = 70
    default_weight = 1.0
    kinds = ("has", "missing")

    def columns(self, suppliers: list[Any], features: list[Any]) -> Columns:
        return {"set": BinarySet(f.certifications for f in features)}

    def query(self, ctx: RequestContext) -> Any | None:
        return ctx.features.preferred_certifications or None

    def score(self, index: Any, q: Any, ctx: RequestContext) -> np.ndarray:
        return self.cols(index)["set"].coverage(q)

    def gates(self, index: Any, ctx: RequestContext) -> list[Gate]:
        have = self.cols(index)["set"]
        return [Gate(f"certification:{cert}", terms("certifications", [cert]), ~have.has(cert))
                for cert in ctx.features.required_certifications]

    def reasons(self, index: Any, q: Any, ctx: RequestContext, i: int, supplier: Any,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        have = self.cols(index)["set"].row(i)
        out = [self.reason("has", label=terms("certifications", [cert])) for cert in q if cert in have]
        lacking = [c for c in q if c not in have]
        if lacking:
            out.append(self.reason("missing", items=terms("certifications", lacking)))
        return out
