import string

import pytest

from matcher.explain import MESSAGES, message, reason_language
from matcher.schema import BuyerRequest


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_every_reason_with_the_same_placeholders():
    assert set(MESSAGES) == {"en", "fr", "de", "it", "ar"}
    for lang, table in MESSAGES.items():
        assert set(table) == set(MESSAGES["en"]), lang
        for key, template in table.items():
            assert _fields(template) == _fields(MESSAGES["en"][key]), (lang, key)


def test_unknown_languages_fall_back_to_english():
    assert reason_language("es") == "en" and reason_language(None) == "en" and reason_language("ar") == "ar"
    assert message("es", "samples") == "samples"


@pytest.mark.parametrize(("language", "description", "opening"), [
    ("de", "Kupfertabletts, handgehämmert", "Mindestbestellmenge"),
    ("it", "Vassoi in rame martellato", "Ordine minimo"),
    ("ar", "صواني نحاسية مطروقة", "الحد الأدنى للطلب"),
])
def test_reasons_follow_the_buyers_language(sample_engine, language, description, opening):
    request = BuyerRequest(buyer_name="B", description=description, products=["trays"], quantity=50,
                           language=language)
    top = sample_engine.match(request, top_k=1).matches[0]
    assert any(r.startswith(opening) for r in top.reasons)
