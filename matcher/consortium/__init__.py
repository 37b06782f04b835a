"""Consortium offers: when no single workshop can deliver an order in time, the best groups that can.

candidates.py (who may be a member, by the engine's own rules), solver.py (the CP-SAT model, the
exact split of a fixed group, the greedy baseline), service.py (diagnostics, groups, explanations),
model.py (the typed result).
"""

from matcher.consortium.model import Consortium, ConsortiumResult, Member
from matcher.consortium.service import DEFAULT_MAX_MEMBERS, MAX_MEMBERS, consortia, consortia_for

__all__ = ["DEFAULT_MAX_MEMBERS", "MAX_MEMBERS", "Consortium", "ConsortiumResult", "Member", "consortia",
           "consortia_for"]
