"""Sustainability: share of the practices the buyer asked for that the workshop states."""

from __future__ import annotations

from matcher.factors._wishes import ListedWishes
from matcher.factors.registry import register


@register
class Sustainability(ListedWishes):
    name = "sustainability"
    position = 80
    default_weight = 1.0
    vocabulary = "sustainability"
