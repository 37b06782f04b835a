"""The JSON API under /api/v1: one module per resource; each view parses, calls the library, returns a model."""

from __future__ import annotations

TEAM = ("team",)
BUYERS = ("team", "buyer")
READERS = ("team", "buyer", "evaluator")
ANALYSTS = ("team", "evaluator")
