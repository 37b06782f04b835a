"""The JSON API under /api/v1: one module per resource; each view parses, calls the library, returns a model."""

from __future__ import annotations

TEAM = ("team",)
BUYERS = ("team", "buyer")
READERS = ("team", "buyer", "evaluator")
ANALYSTS = ("team", "evaluator")
PARTIES = ("team", "buyer", "supplier")  # meeting requests: the two sides, and the team that oversees them
SIDES = ("buyer", "supplier")  # a participant's own agenda and notifications
SUPPLIER = ("supplier",)
PROFILE_EDITORS = ("team", "supplier")  # a workshop edits its own profile (the team any)
