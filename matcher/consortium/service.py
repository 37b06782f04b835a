"""Consortium offers for one request: when no single workshop can fill it, the best groups that can.

``consortia(engine, request)`` scores the request with the engine, finds the candidates
(:mod:`matcher.consortium.candidates`), says so when one workshop suffices or when something rules
every group out (no maker, a must-have nobody has, too little capacity), and otherwise solves the
model of :mod:`matcher.consortium.solver` for the top groups. Every text is a typed
:class:`~matcher.factors.base.Reason` (``reason.consortium.<kind>``) rendered in the request's
language by :func:`matcher.explain.render`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from matcher import i18n
from matcher.bounds import CONSORTIUM_DEFAULT_MEMBERS, CONSORTIUM_MAX_QUANTITY, CONSORTIUM_MEMBERS
from matcher.consortium.candidates import SCALE, Candidates, find_candidates, product_terms
from matcher.consortium.model import Consortium, ConsortiumResult, Member
from matcher.consortium.solver import DEFAULT_TIME_LIMIT, MEMBER_COST, Group, Problem, coherent_capacity, solve
from matcher.errors import InputError
from matcher.explain import render
from matcher.factors.base import Reason, terms
from matcher.schema import BuyerRequest
from matcher.scoring import ScoredRequest

DEFAULT_MAX_MEMBERS = CONSORTIUM_DEFAULT_MEMBERS
MAX_MEMBERS = CONSORTIUM_MEMBERS
TOP_GROUPS = 3


def reason(kind: str, **values: Any) -> Reason:
    return Reason.model_construct(factor="consortium", kind=kind, values=values, text="")


def _rendered(reasons: list[Reason], locale: str) -> list[Reason]:
    for r in reasons:
        r.text = render(r, locale)
    return reasons


def problem_of(c: Candidates, quantity: int, max_members: int, require_lead: bool) -> Problem:
    return Problem(quantity, c.capacity, c.moq, c.value, c.materials, c.techniques, c.exporter, max_members,
                   require_lead, MEMBER_COST)


def _blocking(scored: ScoredRequest, c: Candidates, days: int, k: int, require_lead: bool) -> list[Reason]:
    """Why no group can exist, before any solver runs (empty when a group may exist)."""
    q, product = scored.request.quantity, product_terms(scored)
    if "product" not in scored.values:
        return [reason("no_product")]
    if not c.makes.any():
        return [reason("none_make", product=product)]
    nobody = [reason("must_nobody", product=product, must=g.label) for g in scored.gates if g.missing[c.makes].all()]
    if nobody:
        return nobody
    if not (scored.eligible & c.makes).any():
        return [reason("none_eligible", n=int(c.makes.sum()), product=product)]
    n = len(c.positions)
    if n == 0:
        return [reason("no_candidate", n=int((scored.eligible & c.makes).sum()), product=product), *c.excluded]
    if n == 1:
        name = scored.supplier(int(c.positions[0])).name
        return [reason("one_candidate", name=name), *c.excluded]
    if int(c.capacity.sum()) < q:
        return [reason("capacity_short", n=n, cap=int(c.capacity.sum()), days=days, qty=q), *c.excluded]
    largest = int(np.sort(c.capacity)[::-1][:k].sum())
    if largest < q:
        return [reason("k_short", k=k, cap=largest, days=days, qty=q)]
    if require_lead and not c.exporter.any():
        return [reason("no_exporter", n=n)]
    cap, material, technique = coherent_capacity(problem_of(c, q, k, require_lead))
    if cap < q:
        return [reason("coherent_short", k=k, cap=cap, days=days, qty=q, materials=terms("materials", [material]),
                       techniques=terms("techniques", [technique]) if technique else "-")]
    return []


def _lead(scored: ScoredRequest, members: list[int]) -> int | None:
    """The member that signs: exported to the buyer's country first, then most markets, most pieces, id."""
    country = scored.request.buyer_country
    sup = dict(zip(members, scored.suppliers(members), strict=True))
    exporters = [m for m in members if sup[m].export_markets]
    if not exporters:
        return None
    return min(exporters, key=lambda m: (country not in sup[m].export_markets, -len(sup[m].export_markets),
                                         sup[m].supplier_id))


def _group(scored: ScoredRequest, p: Problem, c: Candidates, g: Group, rank: int, days: int, loc: str) -> Consortium:
    positions = [int(c.positions[m]) for m in g.members]
    sup = dict(zip(positions, scored.suppliers(positions), strict=True))
    lead = _lead(scored, positions)
    capacity = int(sum(int(p.capacity[m]) for m in g.members))
    reasons = [reason("together", cap=capacity, days=days, qty=p.quantity, n=len(g.members))]
    if lead is None:
        reasons.append(reason("no_lead"))
    else:
        country = scored.request.buyer_country
        markets = [country] if country in sup[lead].export_markets else list(sup[lead].export_markets)
        reasons.append(reason("lead", name=sup[lead].name, countries=markets))
    reasons.append(reason("shared_material", materials=terms("materials", g.materials)))
    if g.techniques:
        reasons.append(reason("shared_technique", techniques=terms("techniques", g.techniques)))
    members = []
    for m, pos, alloc in zip(g.members, positions, g.allocation, strict=False):
        s = sup[pos]
        reasons.append(reason("member", name=s.name, alloc=alloc, cap=int(p.capacity[m]), days=days,
                              moq=int(p.moq[m])))
        members.append(Member(supplier_id=s.supplier_id, name=s.name, country=s.country, cluster=s.cluster,
                              allocated=alloc, capacity=int(p.capacity[m]), min_order=int(p.moq[m]),
                              score=round(int(p.value[m]) / SCALE, 4), lead=pos == lead,
                              export_markets=list(s.export_markets)))
    _rendered(reasons, loc)
    value, bound = g.value(p), g.bound / (SCALE * p.quantity)
    return Consortium(rank=rank, members=members, quantity=sum(g.allocation), capacity=capacity,
                      quality=round(g.quality(p), 4), value=round(value, 4), bound=round(bound, 4),
                      gap=round(g.gap(), 6), status="optimal" if g.status == "OPTIMAL" else "feasible",
                      materials=sorted(g.materials), techniques=sorted(g.techniques),
                      lead=sup[lead].supplier_id if lead is not None else None, reasons=reasons,
                      text="; ".join(r.text for r in reasons[:2]))


def consortia_for(scored: ScoredRequest, max_members: int = DEFAULT_MAX_MEMBERS, top: int = TOP_GROUPS,
                  require_lead: bool = False, time_limit: float = DEFAULT_TIME_LIMIT) -> ConsortiumResult:
    """Consortium offers for a request already scored by the engine."""
    if not MAX_MEMBERS[0] <= max_members <= MAX_MEMBERS[1]:
        raise InputError(f"max_members must be {MAX_MEMBERS[0]} to {MAX_MEMBERS[1]} (got {max_members})")
    if scored.request.quantity > CONSORTIUM_MAX_QUANTITY:
        raise InputError(f"quantity: consortia are built for orders up to {CONSORTIUM_MAX_QUANTITY:,} pieces "
                         f"(got {scored.request.quantity:,})")
    request, loc = scored.request, i18n.locale_for(scored.language)
    q, days = request.quantity, round(scored.context.window_days)
    c = find_candidates(scored)
    result = ConsortiumResult(request_id=request.request_id, quantity=q, window_days=days, max_members=max_members,
                              status="none", message="", candidates=len(c.positions))
    fills = [m for m in range(len(c.positions)) if c.capacity[m] >= q]
    if fills:
        best = sorted(fills, key=lambda m: (-int(c.value[m]), int(c.positions[m])))[:top]
        sup = scored.suppliers([int(c.positions[m]) for m in best])
        result.status, result.single = "single", [s.supplier_id for s in sup]
        result.reasons = _rendered([reason("single", name=sup[0].name, cap=int(c.capacity[best[0]]), days=days,
                                           qty=q)], loc)
        result.message = result.reasons[0].text
        return result
    blocking = _blocking(scored, c, days, max_members, require_lead)
    p = problem_of(c, q, max_members, require_lead)
    groups, status = ([], "NOT_RUN") if blocking else solve(p, top, time_limit)
    result.solver = {"solver": "CP-SAT", "status": status, "member_cost": MEMBER_COST, "scale": SCALE,
                     "seconds": round(sum(g.seconds for g in groups), 3), "time_limit": time_limit}
    if not blocking and not groups:
        timed_out = status == "UNKNOWN"
        blocking = [reason("timeout", seconds=time_limit) if timed_out else reason("incoherent", k=max_members)]
    if blocking:
        result.reasons = _rendered([reason("none", qty=q, days=days, k=max_members), *blocking], loc)
        result.message = result.reasons[0].text + " " + "; ".join(r.text for r in result.reasons[1:])
        return result
    result.status = "groups"
    result.groups = [_group(scored, p, c, g, rank, days, loc) for rank, g in enumerate(groups, start=1)]
    result.reasons = _rendered([reason("found", qty=q, days=days, n=len(groups), k=max_members)], loc)
    result.message = result.reasons[0].text
    notes = [reason("scope", n=len(c.positions), product=product_terms(scored), days=days)]
    if len(groups) > 1:
        notes.append(reason("later_ranks"))
    result.notes = [r.text for r in _rendered(notes, loc)]
    return result


def consortia(engine: Any, request: BuyerRequest, max_members: int = DEFAULT_MAX_MEMBERS, top: int = TOP_GROUPS,
              require_lead: bool = False, time_limit: float = DEFAULT_TIME_LIMIT) -> ConsortiumResult:
    """Score ``request`` with ``engine`` (a :class:`matcher.engine.Engine`) and build its consortium offers."""
    return consortia_for(engine.score(request), max_members, top, require_lead, time_limit)
