"""The peers the engine is measured against, on plain inputs (Supplier objects, float32 arrays,
BuyerRequest), never the engine's index internals, so they stay valid while those change.

- ``CarefulScorer``: the per-row Python scorer a competent engineer writes without vectorising:
  supplier features read once into plain Python sets and floats, one BLAS dot per row, the factor
  formulas of matcher/factors, and Engine.match's ranking (its top-k lists are the engine's; see
  tests/test_baselines.py). benchmarks/naive_scorer.py is the round-1 strawman beside it.
- ``cosine_top_k``: exact cosine top-k with numpy (one matrix product, argpartition).
- ``HnswIndex`` / ``FaissHnswIndex``: approximate nearest neighbours (optional ``bench`` extra), the
  retrieval floor, with ``recall_at_k`` against the exact top-k.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.errors import FieldProblem, Invalid, RecordError
from matcher.factors import registry
from matcher.factors.export import EXPORT_MARKETS_FOR_FULL_SCORE
from matcher.features import RequestFeatures, SupplierFeatures, features_of, supplier_features
from matcher.profiles import Profile, check_weights
from matcher.ranking import effective_weights
from matcher.schema import BuyerRequest, Supplier
from matcher.textnorm import tokens
from matcher.understanding import understand
from matcher.vocab import OTHER

FACTORS = ("semantic", "product", "capacity", "min_order", "lead_time", "price", "certifications", "sustainability",
           "materials", "export", "language", "country")


@dataclass
class RequestSide:
    """What scoring reads from one request, computed once (as Engine.score does before scoring)."""

    request: BuyerRequest  # the effective request: fields plus what was read from the description
    features: RequestFeatures
    weights: dict[str, float]
    bounds: tuple[float, float]
    window: float


def request_side(request: BuyerRequest, profile: Profile, embedder_name: str, extract: bool = True) -> RequestSide:
    """Understand ``request`` the way Engine.score does (same reader, weights, bounds and window)."""
    understood = understand(request, extract)
    effective = understood.request
    if effective.quantity is None:
        missing = Invalid("invalid.quantity_missing")
        raise RecordError([FieldProblem("quantity", str(missing), None, None, missing.msgid, missing.params)])
    weights = check_weights(effective_weights(profile.weights, request.weights), "weights")
    return RequestSide(effective, features_of(understood, extract), weights, profile.semantic_bounds(embedder_name),
                       float(effective.max_lead_time_days or profile.default_window_days))


@dataclass(slots=True)
class Row:
    """One supplier, read once into plain Python values (its vocabulary ids are the engine's own reading)."""

    sid: str
    features: SupplierFeatures  # product types, families, HS codes, certificates, practices, materials
    text: str  # folded words of certificates, products and description, space-padded
    monthly: float
    moq: float
    days: float
    lo: float | None
    hi: float | None
    languages: set[str]
    markets: set[str]
    n_markets: int
    country: str
    customization: bool | None
    samples: bool | None


def read_row(s: Supplier) -> Row:
    lo = s.price_min_eur if s.price_min_eur is not None else s.price_max_eur  # one bound stated: a point price
    hi = s.price_max_eur if s.price_max_eur is not None else s.price_min_eur
    text = " " + " ".join(tokens(" ".join([*s.certifications, *s.products, s.description]))) + " "
    return Row(s.supplier_id, supplier_features(s), text, float(s.monthly_capacity), float(s.min_order_qty),
               float(s.lead_time_days), None if lo is None else float(lo), None if hi is None else float(hi),
               set(s.languages), set(s.export_markets), len(s.export_markets), s.country, s.customization, s.samples)


def _clip(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


class CarefulScorer:
    """Per-row scoring with Engine.match's formulas and ranking. The cosine is ``dot="blas"`` (np.dot of
    one float32 row, as the engine's float32 product) or ``dot="python"`` (a Python sum over the rows
    converted to lists once, on first use)."""

    def __init__(self, suppliers: Sequence[Supplier], vectors: np.ndarray) -> None:
        if registry.names() != FACTORS:  # f[i] below is FACTORS[i], summed in the engine's order
            raise RuntimeError(f"the careful scorer knows {FACTORS}, the registry has {registry.names()}")
        self.rows = [read_row(s) for s in suppliers]
        self.array = np.ascontiguousarray(vectors, dtype=np.float32)
        self.vectors: dict[str, list[Any]] = {"blas": list(self.array)}

    def scores(self, side: RequestSide, vector: np.ndarray, dot: str = "blas") -> list[tuple[float, bool, bool, int]]:
        """(total, eligible, filler, must-haves lacking) per supplier, in the order given.

        One pass per row; each applicable factor is added to the total in the engine's order (FACTORS), so
        the floating-point sums are the engine's to the last bit."""
        if dot not in self.vectors:
            self.vectors[dot] = self.array.tolist()
        blas = dot == "blas"
        r, rf, w = side.request, side.features, side.weights
        lo_b, span_b = side.bounds[0], max(side.bounds[1] - side.bounds[0], 1e-9)
        q32 = np.asarray(vector, dtype=np.float32)
        q: Any = q32 if blas else q32.tolist()
        product = bool(rf.types or rf.families or rf.hs4)
        types, fams, hs6s, hs4s = set(rf.types), set(rf.families), set(rf.hs6), set(rf.hs4)
        n_types = len(rf.types)
        fam_w, hs6_w, hs4_w = (0.4, 0.7, 0.4) if rf.types else (1.0, 1.0, 0.8)
        qty, window, t = r.quantity or 1, side.window, r.max_lead_time_days
        ceiling, country = r.max_unit_price_eur, r.buyer_country or ""
        pref, sust, mats = set(rf.preferred_certifications), set(rf.sustainability), set(rf.materials)
        lang, countries = rf.language, set(r.preferred_countries)
        on = {"product": product, "lead_time": bool(t), "price": ceiling is not None, "certifications": bool(pref),
              "sustainability": bool(sust), "materials": bool(mats), "language": bool(lang),
              "country": bool(countries)}
        weight_sum = sum(w[k] for k in FACTORS if on.get(k, True))
        (w_sem, w_prod, w_cap, w_moq, w_lead, w_price, w_cert, w_sust, w_mat, w_exp, w_lang,
         w_country) = (w[k] for k in FACTORS)
        known = {c for c in rf.required_certifications if not c.startswith(OTHER)}
        by_text = [f" {c[len(OTHER):]} " for c in rf.required_certifications if c.startswith(OTHER)]
        custom, samples, export = r.customization_required, r.samples_required, r.export_experience_required
        half = 0.5 * max(ceiling, 1e-9) if ceiling is not None else 1.0
        out = []
        for row, v in zip(self.rows, self.vectors[dot], strict=True):
            cos = float(np.dot(v, q)) if blas else sum(a * b for a, b in zip(v, q, strict=True))
            x = (cos - lo_b) / span_b
            total = w_sem * (0.0 if x < 0.0 else 1.0 if x > 1.0 else x)
            prod, feat = 0.0, row.features
            if product:
                prod = max(len(types & feat.types) / n_types if n_types else 0.0,
                           0.0 if fams.isdisjoint(feat.families) else fam_w,
                           0.0 if hs6s.isdisjoint(feat.hs6) else hs6_w, 0.0 if hs4s.isdisjoint(feat.hs4) else hs4_w)
                total += w_prod * prod
            x = row.monthly * window / 30.0 / qty
            total += w_cap * (1.0 if x > 1.0 else x)  # never negative
            x = qty / row.moq
            total += w_moq * (1.0 if x > 1.0 else x)
            if t:
                x = 1.0 - (row.days - t) / t
                total += w_lead * (0.0 if x < 0.0 else 1.0 if x > 1.0 else x)
            if ceiling is not None:
                lo, hi = row.lo, row.hi
                if lo is None or hi is None:
                    x = 0.5
                elif lo <= ceiling:
                    x = 1.0 if hi <= ceiling else 0.5 + 0.5 * _clip((ceiling - lo) / max(hi - lo, 1e-9))
                else:
                    x = 0.5 * _clip(1.0 - (lo - ceiling) / half)
                total += w_price * x
            if pref:
                total += w_cert * (len(pref & feat.certifications) / len(pref))
            if sust:
                total += w_sust * (len(sust & feat.sustainability) / len(sust))
            if mats:
                total += w_mat * (len(mats & feat.materials) / len(mats))
            x = row.n_markets / EXPORT_MARKETS_FOR_FULL_SCORE
            breadth = 1.0 if x > 1.0 else x
            total += w_exp * ((0.6 * breadth + (0.4 if country in row.markets else 0.0)) if country else breadth)
            if lang:
                total += w_lang * (1.0 if lang in row.languages else 0.5 if not row.languages else 0.25)
            if countries:
                total += w_country * (1.0 if row.country in countries else 0.0)
            total = total / weight_sum if weight_sum > 0 else 0.0
            lacking = len(known - feat.certifications) if known else 0
            if by_text:
                lacking += sum(1 for c in by_text if c not in row.text)
            if custom and row.customization is not True:
                lacking += 1
            if samples and row.samples is not True:
                lacking += 1
            if export and row.n_markets == 0:
                lacking += 1
            out.append((total, lacking == 0, product and prod == 0.0, lacking))
        return out

    def top_k(self, side: RequestSide, vector: np.ndarray, k: int = 10, dot: str = "blas") -> list[str]:
        """Supplier ids as Engine.match lists them: eligible suppliers that make the requested family, best
        total first (ties by id); when nobody is eligible, the nearest misses (fewest must-haves lacking)."""
        scored = self.scores(side, vector, dot)
        if any(e for _, e, _, _ in scored):
            # The engine ranks by total + 2 x eligible + 2 x offered: the same float sum, the same ties.
            offered = ((-(total + 2.0 + 2.0), row.sid) for (total, e, filler, _), row in zip(scored, self.rows,
                                                                                              strict=True)
                       if e and not filler)
            return [sid for _, sid in heapq.nsmallest(k, offered)]
        misses = ((lacking, -total, row.sid) for (total, _, _, lacking), row in zip(scored, self.rows, strict=True))
        return [sid for _, _, sid in heapq.nsmallest(k, misses)]


def cosine_top_k(vectors: np.ndarray, queries: np.ndarray, k: int = 10,
                 max_cells: int = 50_000_000) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k by cosine of unit ``vectors`` (n, d) for ``queries`` (m, d) or (d,): (indices, cosines),
    best first, ties by index; queries go in chunks of at most ``max_cells`` similarities."""
    single = queries.ndim == 1
    qs = np.atleast_2d(np.asarray(queries, dtype=np.float32))
    n, k = len(vectors), min(k, len(vectors))
    idx, sims = np.empty((len(qs), k), dtype=np.int64), np.empty((len(qs), k), dtype=np.float32)
    step = max(1, max_cells // max(n, 1))
    for start in range(0, len(qs), step):
        block = qs[start:start + step] @ vectors.T
        part = np.argpartition(-block, k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n), (len(block), 1))
        vals = np.take_along_axis(block, part, axis=1)
        for r in range(len(block)):
            order = np.lexsort((part[r], -vals[r]))
            idx[start + r], sims[start + r] = part[r][order], vals[r][order]
    return (idx[0], sims[0]) if single else (idx, sims)


def recall_at_k(approx: np.ndarray, exact: np.ndarray) -> float:
    """Mean share of each exact top-k list found in the approximate one."""
    a, e = np.atleast_2d(approx), np.atleast_2d(exact)
    return float(np.mean([len(set(x.tolist()) & set(y.tolist())) / max(len(y), 1) for x, y in zip(a, e, strict=True)]))


class HnswIndex:
    """hnswlib HNSW graph over unit vectors, inner product (= cosine): the retrieval floor (notes/scale-data.md)."""

    module, package = "hnswlib", "hnswlib==0.8.0"

    def __init__(self, vectors: np.ndarray, m: int = 16, ef_construction: int = 200, threads: int = 1,
                 seed: int = 7) -> None:
        import hnswlib

        self.index = hnswlib.Index(space="ip", dim=vectors.shape[1])
        self.index.init_index(max_elements=len(vectors), M=m, ef_construction=ef_construction, random_seed=seed)
        self.index.set_num_threads(threads)
        self.index.add_items(vectors, np.arange(len(vectors)))

    def query(self, queries: np.ndarray, k: int = 10, ef: int = 64) -> tuple[np.ndarray, np.ndarray]:
        """(indices, cosines) of the approximate top-k, best first."""
        self.index.set_ef(max(ef, k))
        labels, distances = self.index.knn_query(np.atleast_2d(queries), k=k)
        return labels.astype(np.int64), (1.0 - distances).astype(np.float32)


class FaissHnswIndex:
    """faiss IndexHNSWFlat over unit vectors, inner product (= cosine): hnswlib's competitor, measured."""

    module, package = "faiss", "faiss-cpu==1.15.1"

    def __init__(self, vectors: np.ndarray, m: int = 16, ef_construction: int = 200, threads: int = 1) -> None:
        import faiss

        faiss.omp_set_num_threads(threads)
        self.faiss = faiss
        self.index = faiss.IndexHNSWFlat(vectors.shape[1], m, faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efConstruction = ef_construction
        self.index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def query(self, queries: np.ndarray, k: int = 10, ef: int = 64) -> tuple[np.ndarray, np.ndarray]:
        self.index.hnsw.efSearch = max(ef, k)
        sims, labels = self.index.search(np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32), k)
        return labels.astype(np.int64), sims.astype(np.float32)
