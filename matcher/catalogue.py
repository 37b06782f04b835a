"""Finding suppliers by text and filters: one search for the CLI, the API and the team page.

Text search is token based and ranked: the query's words, folded like every text here
(matcher.textnorm.tokens: case, accents, Arabic letter forms, plurals), must each be found in the
supplier's id, name, products, materials, techniques or description, in any order. A query word
matches a supplier word that is the same, that it begins ("cuiv" -> "cuivre"), that shares all but
its last two letters ("martelé" -> "martelage"), or that is a typo of it (the vocabulary's edit
distances, matcher.understanding.terms.max_edits). Suppliers are ranked by TF-IDF over those words,
a field counting by its weight (a word in the name or the products weighs more than one in the
description), each kind of match by how close it is. Common words ("de", "the") are left out of
the query. The arrays are computed once per catalogue content (scipy sparse, numpy).
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import extract
from scipy import sparse

from matcher.schema import Supplier
from matcher.textnorm import fold, tokens
from matcher.understanding.terms import STOPWORDS, max_edits

FIELD_WEIGHTS = {"supplier_id": 3.0, "name": 3.0, "products": 2.0, "materials": 1.5, "techniques": 1.5,
                 "description": 1.0}
MATCH_WEIGHTS = {"same": 1.0, "prefix": 0.8, "stem": 0.7, "typo": 0.6}
MIN_PREFIX = 3  # query words shorter than this match whole words only
STEM_SLACK = 2  # "stem": the supplier word starts with the query word less this many final letters...
MIN_STEM = 5  # ...and that shared beginning has at least this many letters
CACHED_INDEXES = 4

# Every search folds the same supplier texts again: keep them (bounded).
_folded = lru_cache(maxsize=65_536)(fold)


def _texts(s: Supplier) -> dict[str, str]:
    return {"supplier_id": s.supplier_id, "name": s.name, "products": " ; ".join(s.products),
            "materials": " ; ".join(s.materials), "techniques": " ; ".join(s.techniques),
            "description": s.description}


class TextIndex:
    """Weighted term counts of every supplier (rows) over the words of the catalogue (columns)."""

    def __init__(self, suppliers: list[Supplier]) -> None:
        self.words: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, s in enumerate(suppliers):
            for fname, text in _texts(s).items():
                for tok in tokens(text):
                    rows.append(i)
                    cols.append(self.words.setdefault(tok, len(self.words)))
                    vals.append(FIELD_WEIGHTS[fname])
        n, v = len(suppliers), len(self.words)
        counts = sparse.csr_matrix((vals, (rows, cols)), shape=(n, v), dtype=np.float64)
        counts.sum_duplicates()
        present = counts.copy()
        present.data[:] = 1.0
        df = np.asarray(present.sum(axis=0)).ravel()
        idf = np.log((1 + n) / (1 + df)) + 1.0
        tf = counts.copy()
        tf.data = 1.0 + np.log(tf.data)  # sublinear: a word said five times is not five times the match
        self.present = present.tocsc()
        self.weighted = (tf @ sparse.diags(idf)).tocsc()
        self.vocabulary = list(self.words)

    def expand(self, word: str) -> dict[int, float]:
        """Catalogue words ``word`` matches (column -> how closely)."""
        out: dict[int, float] = {}
        if word in self.words:
            out[self.words[word]] = MATCH_WEIGHTS["same"]
        if len(word) >= MIN_PREFIX:
            stem = word[:-STEM_SLACK] if len(word) - STEM_SLACK >= MIN_STEM else None
            for w, col in self.words.items():
                if col in out:
                    continue
                if w.startswith(word):
                    out[col] = MATCH_WEIGHTS["prefix"]
                elif stem and w.startswith(stem):
                    out[col] = MATCH_WEIGHTS["stem"]
        edits = max_edits(len(word))
        if edits:
            for w, _, col in extract(word, self.vocabulary, scorer=OSA.distance, score_cutoff=edits, limit=20):
                if w[:1] == word[:1]:
                    out.setdefault(col, MATCH_WEIGHTS["typo"])
        return out

    def scores(self, query: str) -> np.ndarray:
        """Each supplier's score for ``query``; -inf where a query word is not found."""
        words = [t for t in dict.fromkeys(tokens(query)) if t not in STOPWORDS] or tokens(query)
        n = self.present.shape[0]
        total, found = np.zeros(n), np.ones(n, dtype=bool)
        for word in words:
            matches = self.expand(word)
            if not matches:
                return np.full(n, -np.inf)
            cols = np.fromiter(matches, dtype=np.int64)
            closeness = np.fromiter(matches.values(), dtype=np.float64)
            found &= np.asarray(self.present[:, cols].sum(axis=1)).ravel() > 0
            total += self.weighted[:, cols] @ closeness
        return np.where(found, total, -np.inf)


_indexes: OrderedDict[tuple[str, ...], TextIndex] = OrderedDict()


def text_index(suppliers: list[Supplier]) -> TextIndex:
    """The index of ``suppliers`` (kept for the last few catalogue contents)."""
    key = tuple(t for s in suppliers for t in _texts(s).values())
    if key not in _indexes:
        _indexes[key] = TextIndex(suppliers)
        while len(_indexes) > CACHED_INDEXES:
            _indexes.popitem(last=False)
    _indexes.move_to_end(key)
    return _indexes[key]


def search_suppliers(suppliers: list[Supplier], q: str = "", country: str = "", cluster: str = "",
                     product: str = "") -> list[Supplier]:
    """Suppliers matching every filter given, best text match first; filters ignore case, accents and
    punctuation, and ``q`` the order of its words (see the module docstring)."""
    keep = np.ones(len(suppliers), dtype=bool)
    if country:
        keep &= np.array([s.country == country.strip().upper() for s in suppliers], dtype=bool)
    if cluster:
        keep &= np.array([fold(cluster) in _folded(s.cluster or "") for s in suppliers], dtype=bool)
    if product:
        keep &= np.array([any(fold(product) in _folded(p) for p in s.products) for s in suppliers], dtype=bool)
    if not q.strip() or not suppliers:
        return [s for s, k in zip(suppliers, keep, strict=True) if k]
    scores = np.where(keep, text_index(suppliers).scores(q), -np.inf)
    order = np.argsort(-scores, kind="stable")
    return [suppliers[i] for i in order if np.isfinite(scores[i])]
