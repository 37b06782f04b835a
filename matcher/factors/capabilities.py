"""Capabilities as must-haves: custom designs and samples (no score: they only gate)."""

from __future__ import annotations

from typing import Any

from matcher.columns import optional
from matcher.factors.base import Columns, Factor, Gate, RequestContext, message_ref
from matcher.factors.registry import register


@register
class Capabilities(Factor):
    name = "capabilities"
    position = 75
    weighted = False
    extra_messages = ("must.customization", "must.samples")

    def columns(self, suppliers: list[Any], features: list[Any]) -> Columns:
        return {"customization": optional(s.customization for s in suppliers),
                "samples": optional(s.samples for s in suppliers)}

    def gates(self, index: Any, ctx: RequestContext) -> list[Gate]:
        c, out = self.cols(index), []
        if ctx.request.customization_required:
            out.append(Gate("customization", message_ref("must.customization"), c["customization"] != 1.0))
        if ctx.request.samples_required:
            out.append(Gate("samples", message_ref("must.samples"), c["samples"] != 1.0))
        return out
