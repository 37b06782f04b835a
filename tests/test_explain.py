import string
from pathlib import Path

import pytest

from matcher import i18n
from matcher.schema import BuyerRequest


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_locale_keeps_the_english_placeholders():
    english = i18n.catalogue("en")
    for locale in i18n.locales():
        for msgid, template in i18n.catalogue(locale).items():
            assert _fields(template) == _fields(english[msgid]), (locale, msgid)


def test_unknown_languages_fall_back_to_english():
    assert i18n.locale_for("xx") == "en" and i18n.locale_for(None) == "en" and i18n.locale_for("ar") == "ar"
    assert i18n.msg("xx", "must.samples") == "samples"


@pytest.mark.parametrize(("language", "description", "opening"), [
    ("de", "Kupfertabletts, handgehämmert", "Mindestbestellmenge"),
    ("it", "Vassoi in rame martellato", "Ordine minimo"),
    ("ar", "صواني نحاسية مطروقة", "الحد الأدنى للطلب"),
])
def test_reasons_follow_the_buyers_language(sample_engine, language, description, opening):
    request = BuyerRequest(buyer_name="B", description=description, products=["trays"], quantity=50,
                           language=language)
    top = sample_engine.match(request, top_k=1).matches[0]
    assert any(r.text.startswith(opening) for r in top.reasons)


def test_no_shipped_locale_lacks_an_english_message_id():
    assert i18n.missing() == {locale: [] for locale in i18n.locales() if locale != "en"}
    assert set(i18n.locales()) >= {"en", "fr", "de", "it", "ar", "es"}


def test_every_catalogue_file_parses_cleanly():
    """A catalogue with a stray line (a merge left half-done) loads with warnings and loses messages."""
    from babel.messages.pofile import read_po

    for po in sorted((Path(i18n.__file__).parent / "locales").glob("*/LC_MESSAGES/messages.po")):
        text = po.read_text("utf-8")
        assert not [line for line in text.splitlines() if line.startswith(("<<<<<<<", "=======", ">>>>>>>"))], po
        with po.open("rb") as fh:
            read_po(fh, abort_invalid=True)
