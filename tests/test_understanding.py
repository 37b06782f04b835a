"""Reading requests as people write them: per language, with the exact span each item came from."""

import pytest

from matcher.schema import BuyerRequest
from matcher.understanding import understand
from matcher.understanding.language import detect
from matcher.understanding.terms import terms


def read(description, **fields):
    request = BuyerRequest(buyer_name="B", description=description, **fields)
    u = understand(request)
    items = {(e.field, e.value): (e.text, e.strength, e.applied) for e in u.interpretation.extracted}
    return u, items


def test_french_prose_only_request_is_read_with_spans():
    text = "Contact alimentaire obligatoire, livraison en 6 semaines, 200 pièces, moins de 25 € pièce."
    u, items = read(text)
    assert items[("required_certifications", "eu_food_contact")] == ("Contact alimentaire", "must", True)
    assert items[("max_lead_time_days", 42)] == ("livraison en 6 semaines", None, True)
    assert items[("quantity", 200)] == ("200 pièces", None, True)
    assert items[("max_unit_price_eur", 25.0)] == ("moins de 25 €", None, True)
    e = next(x for x in u.interpretation.extracted if x.field == "quantity")
    assert text[e.start:e.end] == "200 pièces" and (e.start, e.end) == (58, 68)
    r = u.request
    assert (r.quantity, r.max_lead_time_days, r.max_unit_price_eur) == (200, 42, 25.0)
    assert u.ids["required_certifications"] == ["eu_food_contact"]
    assert u.interpretation.language == "fr" and u.interpretation.language_source == "detected"


def test_english_must_and_preference_cues():
    _, items = read("Hi, we need 600 pcs of tinned copper saucepans. Food contact compliance (EU 1935/2004) is "
                    "mandatory, and we must receive samples first. ISO9001 would be preferred, lead-free tinning too. "
                    "Delivery within a month, under $30 a piece.")
    assert items[("required_certifications", "eu_food_contact")] == ("Food contact", "must", True)
    assert items[("samples_required", True)] == ("samples", "must", True)
    assert items[("preferred_certifications", "iso_9001")] == ("ISO9001", "preference", True)
    assert items[("sustainability", "lead_free")] == ("lead-free tinning", "preference", True)
    assert items[("max_lead_time_days", 30)] == ("Delivery within a month", None, True)
    assert items[("max_unit_price_eur", 27.6)] == ("under $30", None, True)  # 30 USD at the table's rate


def test_arabic_with_arabic_indic_digits():
    text = "نحتاج ٢٠٠ قطعة من الصواني النحاسية، والتخصيص إلزامي. التسليم خلال ٦٠ يوما، والسعر الأقصى ١٢٠ يورو للقطعة."
    u, items = read(text)
    assert items[("quantity", 200)] == ("٢٠٠ قطعة", None, True)
    assert items[("customization_required", True)] == ("والتخصيص", "must", True)
    assert items[("max_lead_time_days", 60)] == ("التسليم خلال ٦٠ يوما", None, True)
    assert items[("max_unit_price_eur", 120.0)] == ("الأقصى ١٢٠ يورو", None, True)
    assert items[("materials", "copper")][0] == "النحاسية"
    assert u.interpretation.language == "ar"


def test_italian_german_and_spanish():
    _, it = read("Cerchiamo 1 200 pezzi di vassoi in rame, entro 60 giorni. Il punzone è obbligatorio, "
                 "gradita la certificazione Nest.")
    assert it[("quantity", 1200)] == ("1 200 pezzi", None, True)
    assert it[("max_lead_time_days", 60)] == ("entro 60 giorni", None, True)
    assert it[("required_certifications", "hallmark")] == ("punzone", "must", True)
    assert it[("preferred_certifications", "nest")] == ("Nest", "preference", True)
    _, de = read("Wir suchen 300 Stück Kerzenständer aus Kupfer. WFTO ist zwingend erforderlich, "
                 "plastikfreie Verpackung bevorzugt, kein Muss. Lieferung spätestens in 90 Tagen, max. 25 € pro Stück.")
    assert de[("required_certifications", "wfto")] == ("WFTO", "must", True)
    assert de[("sustainability", "plastic_free_packaging")][1] == "preference"
    assert de[("max_unit_price_eur", 25.0)] == ("max. 25 €", None, True)
    u, es = read("Necesitamos 400 faroles de latón hechos a mano con diseño propio (la personalización es "
                 "obligatoria). El marcado CE es obligatorio. Plazo máximo de entrega: 75 días.")
    assert es[("quantity", 400)][0] == "400 faroles"
    assert es[("required_certifications", "ce_marking")] == ("marcado CE", "must", True)
    assert es[("customization_required", True)][1] == "must"
    assert es[("max_lead_time_days", 75)] == ("entrega: 75 días", None, True)
    assert u.interpretation.language == "es"


def test_fields_win_and_dismissed_items_are_not_applied():
    u, items = read("About 500 pcs, delivery within 30 days.", quantity=300, ignore=["max_lead_time_days"])
    assert items[("quantity", 500)] == ("500 pcs", None, False)
    assert next(e.note for e in u.interpretation.extracted if e.field == "quantity") == (
        "not applied: the field says 300")
    assert items[("max_lead_time_days", 30)][2] is False and u.request.max_lead_time_days is None
    assert u.request.quantity == 300


def test_a_rate_per_month_is_read_as_that_quantity_within_30_days():
    u, items = read("We need 2 000 earrings a month for our stores.")
    assert items[("quantity", 2000)] == ("2 000 earrings a month", None, True)
    assert (u.request.quantity, u.request.max_lead_time_days) == (2000, 30)
    u, items = read("Nous voulons 500 pcs/mois de bracelets.")
    assert items[("quantity", 500)][0] == "500 pcs/mois" and u.request.max_lead_time_days == 30
    note = next(e.note for e in u.interpretation.extracted if e.field == "quantity")
    assert note == "500 par mois : lu comme 500 en 30 jours"


@pytest.mark.parametrize(("label", "ids", "status"), [
    ("CE", ["ce_marking"], "known"), ("Marquage CE", ["ce_marking"], "known"),
    ("REACH nikel", ["reach_nickel"], "corrected"), ("WTFO Guaranted Fair Trade", ["wfto"], "corrected"),
    ("cert. contact alim.", ["eu_food_contact"], "corrected"), ("ISO 9010", [], "unknown"),
    ("REACH nickel test (SGS 2024)", ["reach_nickel"], "known"),
])
def test_certificate_labels_as_typed(label, ids, status):
    r = terms("certifications").resolve(label)
    assert (r.ids, r.status) == (ids, status)


def test_unknown_terms_suggest_the_nearest_and_numbers_are_never_corrected():
    r = terms("certifications").resolve("ISO 9010")
    assert r.suggestions[0] == "iso_9001" and r.ids == []
    short = terms("certifications").resolve("WTFO")  # too short to correct safely: asked, not guessed
    assert (short.ids, short.status, short.suggestions) == ([], "unknown", ["wfto"])
    assert terms("materials").resolve("urgent").ids == []  # not "argent": typos keep the first letter


def test_language_is_detected_for_every_shipped_request_language():
    samples = {"en": "We are looking for handmade silver earrings for our shop",
               "fr": "Nous cherchons des boucles d'oreilles en argent faites main",
               "ar": "نبحث عن أقراط فضية مصنوعة يدويا لمتجرنا",
               "it": "Cerchiamo orecchini in argento fatti a mano per il negozio",
               "de": "Wir suchen handgemachte Silberohrringe für unseren Laden",
               "es": "Buscamos pendientes de plata hechos a mano para la tienda"}
    assert {code: detect(text)[0] for code, text in samples.items()} == {c: c for c in samples}
    assert detect("CE 200 pcs")[0] is None  # too little text to say


def test_a_typo_after_a_known_certificate_reads_the_more_specific_one():
    # "REACH" alone is generic; "REACH nikel" is the nickel test, read through the typo, never loosened.
    _, items = read("Bracelets en argent, WTFO obligatoire, de préférence REACH nikel.")
    assert items[("preferred_certifications", "reach_nickel")] == ("REACH nikel", "preference", True)
    assert ("preferred_certifications", "reach") not in items
    _, items = read("Silver earrings, REACH nikel test required, 300 pieces")
    assert items[("required_certifications", "reach_nickel")] == ("REACH nikel", "must", True)
    assert ("required_certifications", "reach") not in items


def test_unknown_codes_in_prose_are_reported_with_did_you_mean():
    u, _ = read("Plateaux en cuivre, WTFO obligatoire, ISO 9010 souhaité, livraison par DHL, 200 pièces")
    notes = [(t.field, t.label, t.status, [s.id for s in t.suggestions]) for t in u.interpretation.terms]
    assert notes == [("description", "WTFO", "unknown", ["wfto"]),
                     ("description", "ISO 9010", "unknown", ["iso_9001", "iso_14001"])]
    assert u.interpretation.terms[0].message == (
        "« WTFO » dans la description n'est pas un certificat connu ; il n'a pas été lu comme une exigence; "
        "vouliez-vous dire : WFTO commerce équitable garanti ?")
    assert u.request.required_certifications == []  # reported, not guessed into a must-have
