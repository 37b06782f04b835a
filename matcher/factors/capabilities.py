"""Capabilities as must-haves: custom designs and samples (no score: they only gate)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matcher.columns import optional
from matcher.factors.base import Columns, Factor, Gate, RequestContext, message_ref
from matcher.factors.registry import register

if TYPE_CHECKING:
    from matcher.index import SupplierIndex
    from matcher.schema import Supplier


@register
class Capabilities(Factor):
    name = "capabilities"
    position = 75
    weighted = False
    extra_messages = ("must.customization", "must.samples")

    def columns(self, suppliers: list[Supplier]) -> Columns:
        return {"customization": optional(s.customization for s in suppliers),
                "samples": optional(s.samples for s in suppliers)}

    def gates(self, index: SupplierIndex, ctx: RequestContext) -> list[Gate]:
        c, out = self.cols(index), []
        if ctx.request.customization_required:
            out.append(Gate("customization", message_ref("must.customization"), c["customization"] != 1.0))
        if ctx.request.samples_required:
            out.append(Gate("samples", message_ref("must.samples"), c["samples"] != 1.0))
        return out
