"""Materials: share of the materials the buyer named that the workshop works with."""

from __future__ import annotations

from matcher.factors._wishes import ListedWishes
from matcher.factors.registry import register


@register
class Materials(ListedWishes):
    name = "materials"
    position = 90
    default_weight = 1.0
    vocabulary = "materials"
