"""Likely duplicates: a workshop entered again under a new id, found by its name in its region.

Names are compared without the words every workshop's name shares ("atelier", "coopérative",
"dinanderie", legal forms), folded (case, accents, Arabic letter forms), with rapidfuzz's
token-sort ratio; two suppliers are in the same region when they are in the same country and their
region (or, without one, their cluster) shares a place word of three letters or more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from matcher.schema import Supplier
from matcher.textnorm import fold

SAME_NAME = 88  # token-sort ratio (0-100) from which two names in one region are flagged
GENERIC = frozenset(" ".join([
    "atelier ateliers cooperative cooperatives feminine artisanale artisanal artisans artisanes femmes",
    "dinanderie bijouterie bijoux workshop workshops coop sarl spa eurl sa ltd co",
    "et and de des du la le les l d el al ورشة تعاونية مؤسسة"]).split())


@dataclass(frozen=True)
class Duplicate:
    row: int
    ident: str
    name: str
    other_id: str
    other_name: str
    other_row: int | None  # None: the other is stored already
    similarity: int


def core_name(name: str) -> str:
    """The words of a name that tell workshops apart."""
    words = [w for w in fold(name).split() if w not in GENERIC]
    return " ".join(words) or fold(name)


def _places(s: Supplier) -> frozenset[str]:
    return frozenset(w for w in fold(s.region or s.cluster or "").split() if len(w) >= 3 and w not in GENERIC)


def likely_duplicates(new: list[tuple[int, Supplier]], stored: list[Supplier]) -> list[Duplicate]:
    """Rows of ``new`` whose supplier has a new id but the name of another in its region (stored
    ones, or an earlier row of the same file)."""
    known = {s.supplier_id for s in stored}
    fresh = [(row, s) for row, s in new if s.supplier_id not in known]
    if not fresh:
        return []
    others = [(None, s) for s in stored] + list(new)
    scores = cdist([core_name(s.name) for _, s in fresh], [core_name(s.name) for _, s in others],
                   scorer=fuzz.token_sort_ratio, score_cutoff=SAME_NAME, workers=1)
    out: list[Duplicate] = []
    for i, j in zip(*np.nonzero(scores), strict=True):
        row, s = fresh[i]
        other_row, o = others[j]
        if o.supplier_id == s.supplier_id or (other_row is not None and other_row >= row):
            continue  # itself, or a later row (that row is flagged instead)
        if o.country != s.country or not (_places(o) & _places(s) or not (_places(o) and _places(s))):
            continue
        if out and out[-1].row == row:
            continue  # one flag per row: the best-placed (stored first)
        out.append(Duplicate(row, s.supplier_id, s.name, o.supplier_id, o.name, other_row, int(scores[i, j])))
    return out
