"""Reverse matching: one supplier against every open buyer request, with the forward engine's factors.

The supplier becomes a one-row index (its record and its vector, built as the catalogue index
builds them), and every open request is scored against that row with :func:`matcher.scoring.score_many`:
each request's context, gates and factor scores over one row, the semantic factor for all
requests in one matrix product. A factor scored on a row gives the same bits whatever other rows
are scored with it (matcher.scoring), so the supplier's score for request r is the score forward
matching gives that supplier for r, to the last bit (tests/test_reverse.py checks it).

"Open" requests are the stored requests that can be ranked: those that state a quantity (in the
field or the text); a request that does not is left out, as forward matching refuses it. A supplier
is *matched* by a request when forward matching would offer it (eligible and making the requested
family). The rest feed the profile gaps: must-haves the workshop lacks, ranked by how many requests
filling each one alone would open (eligibility recomputed as a requests x must-haves matrix).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from matcher import i18n
from matcher.engine import Engine
from matcher.errors import NotFoundError, RecordError
from matcher.explain import FactorScore, render, value_text
from matcher.factors.base import Reason
from matcher.index import SupplierIndex
from matcher.schema import BuyerRequest, Supplier
from matcher.scoring import ScoredRequest, score_many

# What a supplier may read of a buyer's request: an allowlist (never the buyer's name, weights or
# extra sheet columns; the buyer's name appears once a meeting is accepted, on the agenda).
PUBLIC_REQUEST_FIELDS = ("request_id", "buyer_country", "buyer_type", "language", "description", "products",
                         "hs_codes", "materials", "quantity", "max_lead_time_days", "max_unit_price_eur",
                         "required_certifications", "preferred_certifications", "sustainability",
                         "customization_required", "samples_required", "export_experience_required",
                         "preferred_countries")


class PublicRequest(BaseModel):
    """A buyer request as a supplier sees it (see ``PUBLIC_REQUEST_FIELDS``)."""

    request_id: str
    buyer_country: str | None = None
    buyer_type: str | None = None
    language: str | None = None
    description: str
    products: list[str] = []
    hs_codes: list[str] = []
    materials: list[str] = []
    quantity: int | None = None
    max_lead_time_days: int | None = None
    max_unit_price_eur: float | None = None
    required_certifications: list[str] = []
    preferred_certifications: list[str] = []
    sustainability: list[str] = []
    customization_required: bool = False
    samples_required: bool = False
    export_experience_required: bool = False
    preferred_countries: list[str] = []


def public_request(request: BuyerRequest) -> PublicRequest:
    return PublicRequest.model_validate(request.model_dump(include=set(PUBLIC_REQUEST_FIELDS)))


class RequestMatch(BaseModel):
    rank: int
    request: PublicRequest
    score: float = Field(ge=0, le=1, description="the forward score of this supplier for the request")
    factors: dict[str, FactorScore]
    reasons: list[Reason] = Field(description="in the supplier's language: must-haves, then each factor's")


class Gap(BaseModel):
    id: str = Field(description="the must-have, e.g. certification:reach_nickel")
    label: str
    opens: int = Field(description="requests this alone would make the workshop eligible for")
    required_by: int = Field(description="requests of its products that require it (some also lack others)")
    text: str


class SupplierMatches(BaseModel):
    supplier_id: str
    locale: str
    n_open: int = Field(description="open requests scored (stored requests that state a quantity)")
    matches: list[RequestMatch]
    gaps: list[Gap]


def one_row_index(engine: Engine, supplier: Supplier) -> SupplierIndex:
    """The supplier alone, indexed as the catalogue index indexes it (same columns, same vector)."""
    return SupplierIndex(0).fit([supplier], engine.embed_suppliers([supplier]))


CONTEXT_CACHE_SIZE = 20_000  # requests whose understood context is kept (reading a text is most of the cost)
_contexts: dict[tuple[str, str, str, bool], Any] = {}


def _context(engine: Engine, request: BuyerRequest) -> Any:
    """``engine.context(request)``, kept per request text, profile and embedder: a supplier's page reads
    every open request, and understanding a request's text costs far more than scoring it."""
    key = (request.model_dump_json(), f"{engine.profile.name}@{engine.profile.version}", engine.embedder.name,
           engine.extract)
    found = _contexts.get(key)
    if found is None:
        found = engine.context(request)
        if len(_contexts) >= CONTEXT_CACHE_SIZE:
            _contexts.clear()
        _contexts[key] = found
    return found


def open_requests(engine: Engine) -> list[tuple[BuyerRequest, Any]]:
    """(request, context) of every stored request that can be ranked, in id order."""
    out = []
    for request in sorted(engine.store.requests(), key=lambda r: str(r.request_id)):
        try:
            out.append((request, _context(engine, request)))
        except RecordError:  # no quantity: forward matching cannot rank it either
            continue
    return out


def score_supplier(engine: Engine, supplier: Supplier) -> list[tuple[BuyerRequest, ScoredRequest]]:
    """Every open request scored against ``supplier`` alone (every factor, the semantic one batched)."""
    pairs = open_requests(engine)
    if not pairs:
        return []
    ctxs = [c for _, c in pairs]
    todo = [c for c in ctxs if c.vector is None]
    if todo:
        for ctx, vector in zip(todo, engine.embed_texts([c.features.text for c in todo]), strict=True):
            ctx.vector = vector
    index = one_row_index(engine, supplier)
    scored = score_many(index, ctxs, [c.weights for c in ctxs], defer=False,
                        fetch=lambda ids: {supplier.supplier_id: supplier})
    return [(r, s) for (r, _), s in zip(pairs, scored, strict=True)]


def _reasons(scored: ScoredRequest, supplier: Supplier, locale: str) -> list[Reason]:
    from matcher.explain import reasons_for

    return [r.model_copy(update={"text": render(r, locale)}) for r in reasons_for(scored, 0, supplier)]


def gaps(scored: list[ScoredRequest], locale: str) -> list[Gap]:
    """Must-haves the supplier lacks among requests for what it makes, by how many requests each opens."""
    relevant = [s for s in scored if not bool(s.filler[0]) and not bool(s.eligible[0])]
    keys = sorted({g.key for s in relevant for g in s.gates if g.missing[0]})
    if not keys:
        return []
    column = {k: j for j, k in enumerate(keys)}
    lacking = np.zeros((len(relevant), len(keys)), dtype=bool)  # requests x must-haves the supplier misses
    labels: dict[str, Any] = {}
    for i, s in enumerate(relevant):
        for g in s.gates:
            if g.missing[0]:
                lacking[i, column[g.key]] = True
                labels.setdefault(g.key, g.label)
    # Filling must-have k alone makes request i eligible when k is the only one it lacks.
    opens = (lacking & (lacking.sum(axis=1) == 1)[:, None]).sum(axis=0)
    required = lacking.sum(axis=0)
    order = sorted(range(len(keys)), key=lambda j: (-int(opens[j]), -int(required[j]), keys[j]))
    out = []
    for j in order:
        label = value_text(labels[keys[j]], locale)
        out.append(Gap(id=keys[j], label=label, opens=int(opens[j]), required_by=int(required[j]),
                       text=i18n.msg(locale, "supplier.gap", label=label, n=int(required[j]), opens=int(opens[j]))))
    return out


def supplier_matches(engine: Engine, supplier_id: str, locale: str | None = None,
                     top_k: int | None = None) -> SupplierMatches:
    """The open requests that would be offered this supplier, best first, explained in ``locale``
    (default: the supplier's first language, else French), and its profile gaps."""
    found = engine.store.get_suppliers([supplier_id]).get(supplier_id)
    if found is None:
        raise NotFoundError("supplier", supplier_id)
    loc = i18n.locale_for(locale or next(iter(found.languages), None) or "fr")
    scored = score_supplier(engine, found)
    offered = [(r, s) for r, s in scored if bool(s.offered[0])]
    totals = np.array([s.total[0] for _, s in offered], dtype=np.float64)
    ids = [str(r.request_id) for r, _ in offered]
    order = sorted(range(len(offered)), key=lambda i: (-totals[i], ids[i]))[:top_k]
    matches = []
    for rank, i in enumerate(order, start=1):
        request, s = offered[i]
        factors = {name: FactorScore.model_construct(score=round(float(v[0]), 4), weight=s.weights[name],
                                                     contribution=round(s.contribution(name, 0), 4))
                   for name, v in s.values.items()}
        matches.append(RequestMatch(rank=rank, request=public_request(request), score=round(float(totals[i]), 4),
                                    factors=factors, reasons=_reasons(s, found, loc)))
    return SupplierMatches(supplier_id=supplier_id, locale=loc, n_open=len(scored), matches=matches,
                           gaps=gaps([s for _, s in scored], loc))


def matching_request_ids(engine: Engine, supplier_id: str) -> set[str]:
    """Ids of the open requests that match ``supplier_id`` (what a supplier key may read)."""
    found = engine.store.get_suppliers([supplier_id]).get(supplier_id)
    if found is None:
        return set()
    return {str(r.request_id) for r, s in score_supplier(engine, found) if bool(s.offered[0])}


def pair_offered(engine: Engine, request: BuyerRequest, supplier: Supplier) -> bool:
    """Would forward matching offer ``supplier`` for ``request`` (eligible, makes the requested family)?
    A request that cannot be ranked (no quantity) matches nobody."""
    try:
        ctx = engine.context(request)
    except RecordError:
        return False
    ctx.vector = engine.embed_texts([ctx.features.text])[0]
    scored = score_many(one_row_index(engine, supplier), [ctx], [ctx.weights], defer=False)[0]
    return bool(scored.offered[0])


def clear_contexts() -> None:
    """Forget the kept request contexts (benchmarks; a new profile or embedder gets new keys anyway)."""
    _contexts.clear()
