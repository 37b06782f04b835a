import pytest

from matcher import vocab
from matcher.features import product_ids
from matcher.textnorm import fold, guess_language


@pytest.mark.parametrize("label,expected", [
    ("REACH nickel test (SGS 2024)", ["reach_nickel"]),
    ("ISO 9001:2015", ["iso_9001"]),
    ("iso9001", ["iso_9001"]),
    ("WFTO Guaranteed Fair Trade", ["wfto"]),
    ("Poinçon de garantie", ["hallmark"]),
    ("POINCON", ["hallmark"]),
    ("الدمغة", ["hallmark"]),
    ("EN1811", ["reach_nickel"]),
    ("Règlement (CE) 1935/2004 contact alimentaire", ["eu_food_contact"]),
    ("conforme REACH plomb et cadmium", ["reach_lead_cadmium"]),
    ("amfori BSCI", ["amfori_bsci"]),
    ("SA 8000", ["sa8000"]),
    ("Lebensmittelecht 1935/2004", ["eu_food_contact"]),
])
def test_certification_spellings(label, expected):
    assert vocab.load("certifications").canonicalize([label]) == expected


def test_unknown_certification_is_kept_and_matches_its_twin():
    certs = vocab.load("certifications")
    assert certs.canonicalize(["Label Artisanat d'Art"]) == ["other:label artisanat d art"]
    assert certs.canonicalize(["label artisanat d’art"]) == certs.canonicalize(["Label Artisanat d'Art"])


def test_implied_certifications():
    assert vocab.load("certifications").expand(["wfto", "reach_nickel"]) == {"wfto", "fair_trade", "reach_nickel",
                                                                               "reach"}


@pytest.mark.parametrize("label,expected", [
    ("argent recyclé", ["recycled_metal"]), ("women-led", ["women_led"]), ("تعاونية نسائية", ["women_led"]),
    ("étamage sans plomb", ["lead_free"]), ("bleifrei", ["lead_free"]), ("emballage sans plastique",
                                                                          ["plastic_free_packaging"]),
])
def test_sustainability_aliases(label, expected):
    assert vocab.load("sustainability").canonicalize([label]) == expected


def test_products_in_five_languages():
    for text in ["boucles d'oreilles", "earrings", "أقراط", "orecchini", "Ohrringe"]:
        types, families = product_ids([text], [])
        assert types == {"earrings"} and families == {"jewellery"}, text


def test_family_from_hs_code_and_shared_types():
    assert product_ids([], ["741810"]) == (set(), {"metalware"})
    # A plate is metal or clay: the HS code decides.
    assert product_ids(["plats"], ["691200"]) == ({"plate"}, {"pottery"})
    assert product_ids(["plats"], []) == ({"plate"}, {"metalware", "pottery"})


def test_fold_and_language_guess():
    assert fold("Poinçon  de l'État") == "poincon de l etat"
    assert fold("ISO9001:2015") == "iso 9001 2015"
    assert guess_language("Nous recherchons des bijoux pour notre boutique") == "fr"
    assert guess_language("Wir suchen Schmuck für den Laden und die Kunden") == "de"
    assert guess_language("نبحث عن صواني من النحاس") == "ar"
