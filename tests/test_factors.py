"""The factor as the unit: a toy factor added in a fixture is scored, explained, ablated and documented."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from matcher import i18n
from matcher.columns import numbers
from matcher.evaluation.baselines import suite
from matcher.evaluation.data import load_qrels
from matcher.evaluation.runs import load_context
from matcher.factors import Factor, Reason, RequestContext, registry
from matcher.io.importer import load_requests
from matcher.profiles import load_profile

from .conftest import DATA


class SmallWorkshop(Factor):
    """Toy factor: prefers workshops of at most 5 people (1), else 0.5; unknown size 0.75."""

    name = "small_workshop"
    position = 130
    default_weight = 0.8
    kinds = ("small", "large", "unknown")

    def columns(self, suppliers: list[Any]) -> dict[str, Any]:
        return {"employees": numbers(np.nan if s.employees is None else s.employees for s in suppliers)}

    def query(self, ctx: RequestContext) -> Any | None:
        return 5

    def score(self, index: Any, q: Any, ctx: RequestContext) -> np.ndarray:
        e = self.cols(index)["employees"]
        return np.where(np.isnan(e), 0.75, np.where(e <= q, 1.0, 0.5))

    def reasons(self, index: Any, q: Any, ctx: RequestContext, i: int, supplier: Any,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        if supplier.employees is None:
            return [self.reason("unknown")]
        return [self.reason("small" if supplier.employees <= q else "large", n=supplier.employees)]


TEXTS = {"factor.small_workshop": "Small workshop", "reason.small_workshop.small": "A workshop of {n}",
         "reason.small_workshop.large": "{n} people", "reason.small_workshop.unknown": "Size not stated"}


@pytest.fixture
def toy():
    i18n.add_messages({loc: {k: f"[{loc}] {v}" if loc != "en" else v for k, v in TEXTS.items()}
                       for loc in i18n.locales()})
    with registry.extra(SmallWorkshop()) as factor:
        yield factor
    i18n.remove_messages(set(TEXTS))


def test_every_shipped_factor_has_its_messages_in_every_locale():
    for factor in registry.all_factors():
        for msgid in factor.messages:
            for locale in i18n.locales():
                assert msgid in i18n.catalogue(locale), (factor.name, msgid, locale)


def test_a_profile_that_predates_a_factor_weights_it_by_its_declared_default(toy):
    profile = load_profile("default")
    assert profile.defaulted == ("small_workshop",) and profile.weights["small_workshop"] == 0.8
    assert load_profile("default").weights["product"] == 3.0  # the listed ones are untouched


def test_a_toy_factor_is_scored_and_explained(sample_engine, toy):
    from matcher.schema import BuyerRequest

    request = BuyerRequest(buyer_name="B", description="silver earrings", products=["earrings"], quantity=50,
                           language="en")
    result = sample_engine.match(request, top_k=42, include_ineligible=True)
    by_id = {m.supplier_id: m for m in result.matches}
    assert by_id["BAT-001"].factors["small_workshop"].score == 1.0  # one artisan
    assert by_id["BAT-003"].factors["small_workshop"].score == 0.5  # 60 workers
    assert by_id["BAT-003"].factors["small_workshop"].weight == 0.8
    reasons = [r for r in by_id["BAT-003"].reasons if r.factor == "small_workshop"]
    assert [(r.kind, r.values, r.text) for r in reasons] == [("large", {"n": 60}, "60 people")]
    assert sum(f.contribution for f in by_id["BAT-003"].factors.values()) == pytest.approx(by_id["BAT-003"].score,
                                                                                           abs=1e-3)
    request_fr = request.model_copy(update={"language": "fr"})
    top = sample_engine.match(request_fr, top_k=1).matches[0]
    assert any(r.text.startswith("[fr] ") for r in top.reasons if r.factor == "small_workshop")


def test_a_toy_factor_is_ablated(sample_engine, toy):
    requests = load_requests(DATA / "requests.jsonl")[:6]
    ctx = load_context(sample_engine, requests, load_qrels(DATA / "eval" / "qrels.tsv"))
    names = [r.name for r in suite([sample_engine], requests, ctx)]
    assert "without small_workshop" in names and "without price" in names


def test_a_toy_factor_is_documented(client, toy):
    doc = client.get("/api/v1/openapi.json").get_json()
    weights = doc["components"]["schemas"]["BuyerRequest"]["properties"]["weights"]
    assert "small_workshop" in weights["anyOf"][0]["propertyNames"]["enum"]
    reason = doc["components"]["schemas"]["Reason"]
    assert set(reason["properties"]) == {"factor", "kind", "values", "text"}


def test_unknown_weights_name_the_registered_factors(toy):
    from matcher.errors import RecordError
    from matcher.schema import validate_record

    with pytest.raises(RecordError, match=r"unknown factor\(s\) nope; known: semantic, .*, small_workshop$"):
        validate_record("request", {"buyer_name": "B", "description": "d", "quantity": 1, "weights": {"nope": 1}})
