"""Consortium offers: optimality against brute force, the rules for members, what is said when none exists."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from scipy.optimize import linprog

from matcher.consortium import consortia
from matcher.consortium.solver import Problem, greedy, solve
from matcher.errors import InputError
from matcher.schema import BuyerRequest, Supplier
from tests.conftest import write


# -- brute force: every group of 2..K, its best split by an LP (scipy), the same objective -------------
def best_split(p: Problem, group: tuple[int, ...]) -> float | None:
    res = linprog(-p.value[list(group)].astype(float), A_eq=np.ones((1, len(group))), b_eq=[p.quantity],
                  bounds=[(int(p.moq[s]), int(p.capacity[s])) for s in group], method="highs")
    return None if res.status != 0 else -res.fun


def coherent(p: Problem, group: tuple[int, ...]) -> bool:
    if not set.intersection(*(p.materials[s] for s in group)):
        return False
    stated = [p.techniques[s] for s in group if p.techniques[s]]
    if stated and not set.intersection(*stated):
        return False
    return not p.require_lead or any(p.exporter[s] for s in group)


def brute_force_best(p: Problem, excluded: list[set[int]]) -> float | None:
    best = None
    for k in range(2, p.max_members + 1):
        for group in itertools.combinations(range(len(p.capacity)), k):
            if any(e <= set(group) for e in excluded) or not coherent(p, group):
                continue
            split = best_split(p, group)
            if split is not None:
                value = split - p.cost * (k - 2)
                best = value if best is None else max(best, value)
    return best


def random_problem(rng: np.random.Generator, n: int, k: int) -> Problem:
    quantity = int(rng.integers(300, 1500))
    return Problem(
        quantity=quantity, capacity=rng.integers(50, 700, n), moq=rng.integers(1, 150, n),
        value=rng.integers(2000, 9500, n),
        materials=[set(rng.choice(["silver", "coral", "copper"], size=int(rng.integers(1, 3)), replace=False))
                   for _ in range(n)],
        techniques=[set(rng.choice(["filigree", "chasing", "casting"], size=int(rng.integers(0, 3)), replace=False))
                    for _ in range(n)],
        exporter=rng.random(n) < 0.4, max_members=k, require_lead=bool(rng.random() < 0.3))


@pytest.mark.parametrize("seed", range(12))
def test_groups_are_optimal_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    p = random_problem(rng, n=int(rng.integers(6, 10)), k=int(rng.integers(2, 5)))
    groups, status = solve(p, top=3, time_limit=30)
    chosen: list[set[int]] = []
    for g in groups:
        expected = brute_force_best(p, chosen)
        assert expected is not None
        assert g.status == "OPTIMAL" and g.gap() == 0.0 and g.bound == g.objective
        assert g.objective == pytest.approx(expected, abs=1e-6), (seed, g.members)
        assert sum(g.allocation) == p.quantity
        assert all(p.moq[s] <= a <= p.capacity[s] for s, a in zip(g.members, g.allocation, strict=False))
        assert coherent(p, tuple(g.members)) and 2 <= len(g.members) <= p.max_members
        chosen.append(set(g.members))
    if len(groups) < 3:  # the search ended because no further group exists: brute force agrees
        assert status == "INFEASIBLE" and brute_force_best(p, chosen) is None


def test_greedy_baseline_is_feasible_and_never_better_than_the_optimum():
    for seed in range(12):
        p = random_problem(np.random.default_rng(seed), 9, 4)
        g = greedy(p)
        groups, _ = solve(p, top=1)
        if g is not None:
            assert sum(g.allocation) == p.quantity and coherent(p, tuple(g.members))
            assert groups and g.objective <= groups[0].objective


# -- the engine: a small catalogue written by hand ---------------------------------------------------
def workshop(sid: str, products: str, capacity: int, moq: int, price: tuple[float, float] | None = (10, 30),
             materials: str = "argent", techniques: str = "filigrane", certifications: str = "poinçon de garantie",
             export: str = "") -> Supplier:
    return Supplier.model_validate({
        "supplier_id": sid, "name": f"Atelier {sid}", "country": "DZ", "cluster": "Bijoux de Batna",
        "description": f"{products} en {materials}", "products": products, "materials": materials,
        "techniques": techniques, "monthly_capacity": capacity, "min_order_qty": moq, "lead_time_days": 20,
        "price_min_eur": price[0] if price else None, "price_max_eur": price[1] if price else None,
        "certifications": certifications, "export_markets": export})


CATALOGUE = [
    workshop("A", "boucles d'oreilles", 400, 50, export="FR"),
    workshop("B", "boucles d'oreilles", 300, 100, techniques="filigrane; ciselure"),
    workshop("C", "boucles d'oreilles", 500, 200, price=(8, 20), export="DE; FR"),
    workshop("D", "boucles d'oreilles", 900, 10, techniques="fonte à cire perdue; polissage"),  # casting only
    workshop("E", "boucles d'oreilles", 2000, 10, materials="laiton"),  # brass, not silver
    workshop("F", "boucles d'oreilles", 5000, 10, certifications=""),  # no hallmark: a must-have
    workshop("G", "boucles d'oreilles", 800, 10, price=(40, 60)),  # above the ceiling
    workshop("H", "bracelets", 3000, 10),  # another product
]


def earrings(quantity: int, **extra) -> BuyerRequest:
    data = {"buyer_name": "Importer", "buyer_country": "FR", "language": "en", "description": "silver earrings",
            "products": ["earrings"], "materials": ["silver"], "quantity": quantity, "max_lead_time_days": 30,
            "max_unit_price_eur": 35, "required_certifications": ["hallmark"], **extra}
    return BuyerRequest.model_validate(data)


@pytest.fixture
def batna(engine):
    engine.store.upsert_suppliers(CATALOGUE)
    return engine


def test_the_only_coherent_group_with_its_split_lead_and_explanation(batna):
    result = consortia(batna, earrings(1200))
    # Candidates A, B, C, D: E works brass, F lacks the hallmark, G is above the price, H makes bracelets.
    assert result.status == "groups" and result.candidates == 4
    assert result.message == "No single workshop can make 1 200 in 30 days; 1 group(s) of 2 to 4 workshops can"
    (group,) = result.groups  # D casts (no shared technique); A+B+C is the only group reaching 1 200
    assert [(m.supplier_id, m.allocated, m.capacity, m.min_order) for m in group.members] == [
        ("A", 400, 400, 50), ("B", 300, 300, 100), ("C", 500, 500, 200)]
    assert group.lead == "C" and [m.lead for m in group.members] == [False, False, True]
    assert group.text == ("together 1 200 in 30 days for your 1 200 (3 workshops); "
                          "lead: Atelier C, who has exported to FR")
    assert [r.text for r in group.reasons[2:4]] == ["every member works Silver", "shared technique: filigree"]
    assert group.reasons[4].text == "Atelier A: 400 pieces (can make 400 in 30 days; minimum order 50)"
    assert group.status == "optimal" and group.gap == 0 and group.value == group.bound
    assert group.materials == ["silver"] and group.techniques == ["filigree"]
    assert result.notes[0].startswith("Groups are optimal among the 4 workshops that can be members")
    french = consortia(batna, earrings(1200, language="fr"))
    assert french.groups[0].text == ("ensemble 1 200 en 30 jours pour vos 1 200 (3 ateliers); "
                                     "chef de file : Atelier C, qui a déjà exporté vers FR")


def test_split_gives_the_rest_to_the_best_scores(batna):
    result = consortia(batna, earrings(1000))
    scored = batna.score(earrings(1000))
    group = result.groups[0]
    assert {m.supplier_id for m in group.members} == {"A", "B", "C"}
    # Minimums first (50 + 100 + 200), the remaining 650 to the best scores, each up to its capacity.
    by_score = sorted(group.members, key=lambda m: -m.score)
    rest, expected = 1000 - 350, {}
    for m in by_score:
        extra = min(rest, m.capacity - m.min_order)
        expected[m.supplier_id], rest = m.min_order + extra, rest - extra
    assert {m.supplier_id: m.allocated for m in group.members} == expected
    position = dict(zip([m.supplier_id for m in group.members],
                        scored.index.positions([m.supplier_id for m in group.members]), strict=True))
    assert all(m.score == round(float(scored.total[position[m.supplier_id]]), 4) for m in group.members)
    assert group.quality == pytest.approx(sum(m.score * m.allocated for m in group.members) / 1000, abs=1e-4)


def test_one_workshop_that_can_fill_the_order_means_no_consortium(batna):
    result = consortia(batna, earrings(850))
    assert result.status == "single" and result.single == ["D"] and result.groups == []
    assert result.message == "Atelier D can make 900 in 30 days alone, enough for your 850: no consortium is needed"


@pytest.mark.parametrize(("changes", "message"), [
    ({"quantity": 3000}, "No single workshop can make 3 000 in 30 days, and no group of 2 to 4 workshops can "
     "either: the 4 workshops that can be members make at most 2 100 together in 30 days; you need 3 000; "
     "1 quote above your ceiling of 35 EUR or state no price; 1 do not work Silver"),
    ({"required_certifications": ["hallmark", "REACH nickel"]}, "No single workshop can make 1 200 in 30 days, "
     "and no group of 2 to 4 workshops can either: no workshop that makes Earrings meets this must-have: "
     "REACH nickel release (Annex XVII entry 27)"),
    ({"products": ["rugs"], "description": "rugs", "materials": []}, "No single workshop can make 1 200 in 30 "
     "days, and no group of 2 to 4 workshops can either: no workshop in the catalogue makes Rugs and kilims"),
    ({"max_members": 2}, "No single workshop can make 1 200 in 30 days, and no group of 2 to 2 workshops can "
     "either: workshops that share a material and a technique make at most 900 together in 30 days in a group "
     "of up to 2 (best: Silver, filigree); you need 1 200"),
    ({"quantity": 2000, "max_members": 2}, "No single workshop can make 2 000 in 30 days, and no group of 2 to 2 "
     "workshops can either: the 2 largest workshops that can be members make 1 400 together in 30 days: a group of "
     "at most 2 cannot reach 2 000"),
    ({"max_unit_price_eur": 22}, "No single workshop can make 1 200 in 30 days, and no group of 2 to 4 workshops "
     "can either: only one workshop, Atelier C, meets every rule for a member, and a consortium needs two; "
     "5 quote above your ceiling of 22 EUR or state no price"),
])
def test_when_no_group_can_the_answer_says_what_is_missing(batna, changes, message):
    k = changes.pop("max_members", 4)
    result = consortia(batna, earrings(changes.pop("quantity", 1200), **changes), max_members=k)
    assert result.status == "none" and result.groups == []
    assert result.message == message


def test_bad_group_size_is_refused(batna):
    with pytest.raises(InputError, match="max_members must be 2 to 8 \\(got 9\\)"):
        consortia(batna, earrings(1200), max_members=9)


def test_cli_prints_groups_and_json(cli, tmp_path):
    sheet = tmp_path / "cat.json"
    sheet.write_text(json.dumps({"suppliers": [s.model_dump(exclude={"extra"}) for s in CATALOGUE]}), "utf-8")
    assert cli("import", "suppliers", str(sheet)).exit_code == 0
    req = write(tmp_path, "req.json", earrings(1200).model_dump_json(exclude_none=True))
    out = cli("consortium", str(req))
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == "No single workshop can make 1 200 in 30 days; 1 group(s) of 2 to 4 workshops can"
    assert "1. together 1 200 in 30 days for your 1 200 (3 workshops); lead: Atelier C, who has exported to FR" in lines
    assert "   - Atelier C (C): 500 of 500, minimum 200, score" in out.output
    data = json.loads(cli("consortium", str(req), "--json", "--max-members", "3").output)
    assert data["status"] == "groups" and data["max_members"] == 3
    assert [m["supplier_id"] for m in data["groups"][0]["members"]] == ["A", "B", "C"]
    assert cli("consortium", str(req), "--max-members", "1").exit_code == 2


def test_shortlists_carry_a_consortia_section(batna, tmp_path):
    from matcher.consortium.shortlist import consortium_rows
    from matcher.exports.shortlist import export

    requests = [earrings(1200, request_id="BIG"), earrings(850, request_id="D-ALONE"),
                earrings(3000, request_id="HUGE")]
    rows = consortium_rows(batna, requests)
    assert [(r["request_id"], r["group"], r["supplier_id"], r["allocated"], r["lead"]) for r in rows] == [
        ("BIG", 1, "A", 400, ""), ("BIG", 1, "B", 300, ""), ("BIG", 1, "C", 500, "yes"), ("HUGE", "", "", "", "")]
    assert rows[0]["status"] == "optimal" and rows[3]["why"].startswith("No single workshop can make 3 000")
    written = export(batna.match_all(requests), tmp_path / "s.csv", rows)
    assert [p.name for p in written] == ["s.csv", "s-suppliers.csv", "s-consortia.csv"]  # one table per file
    text = written[2].read_text("utf-8-sig")
    assert text.startswith("Request,Buyer,Group,Supplier id,Supplier,Pieces allocated,Capacity in the window,Lead,")
    assert "BIG,Importer,1,C,Atelier C,500,500,yes,optimal," in text
