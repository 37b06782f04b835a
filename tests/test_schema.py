import pytest

from matcher.errors import RecordError
from matcher.schema import BuyerRequest, Supplier, validate_record

BASE = {"supplier_id": "S1", "name": "Atelier", "country": "dz", "description": "Bijoux",
        "products": "bagues; colliers", "monthly_capacity": "1 200", "lead_time_days": "30"}


def problems(kind, data):
    with pytest.raises(RecordError) as info:
        validate_record(kind, data, file="f.csv", row=7)
    return [str(p) for p in info.value.problems]


def test_spreadsheet_forms_are_understood():
    s = validate_record("supplier", {**BASE, "price_min_eur": "12,5", "customization": "oui", "samples": "non",
                                     "hs_codes": "7113.11; 7418", "languages": "FR; ar"})
    assert isinstance(s, Supplier)
    assert s.country == "DZ" and s.monthly_capacity == 1200 and s.price_min_eur == 12.5
    assert s.products == ["bagues", "colliers"] and s.hs_codes == ["711311", "7418"]
    assert s.customization is True and s.samples is False and s.languages == ["fr", "ar"]
    assert s.min_order_qty == 1


@pytest.mark.parametrize("value,expected", [("yes", True), ("Oui", True), ("1", True), ("نعم", True),
                                            ("no", False), ("NON", False), ("0", False), ("", None)])
def test_booleans(value, expected):
    assert validate_record("supplier", {**BASE, "samples": value}).samples is expected


def test_negative_capacity_names_row_field_and_value():
    assert problems("supplier", {**BASE, "monthly_capacity": "-3"}) == [
        "f.csv, row 7: field 'monthly_capacity': must be >= 0 (got -3)"]


def test_wrong_type():
    assert problems("supplier", {**BASE, "lead_time_days": "trente"}) == [
        "f.csv, row 7: field 'lead_time_days': must be a whole number (got 'trente')"]


def test_price_min_above_max():
    assert problems("supplier", {**BASE, "price_min_eur": "50", "price_max_eur": "20"}) == [
        "f.csv, row 7: field 'price_max_eur': price_min_eur (50) is greater than price_max_eur (20)"]


def test_missing_required_and_bad_country_reported_together():
    data = {k: v for k, v in BASE.items() if k != "name"}
    assert problems("supplier", {**data, "country": "Algeria"}) == [
        "f.csv, row 7: field 'name': is required",
        "f.csv, row 7: field 'country': 'Algeria' is not an ISO 3166-1 alpha-2 country code (e.g. DZ, TN, FR)",
    ]


def test_unknown_json_field_is_named():
    assert problems("request", {"buyer_name": "B", "description": "d", "quantity": 5, "colour": "red"}) == [
        "f.csv, row 7: field 'colour': unknown field"]


def test_hs_code_and_email_checks():
    assert problems("supplier", {**BASE, "hs_codes": "71", "contact_email": "nobody"}) == [
        "f.csv, row 7: field 'hs_codes': '71' is not an HS code of 4 or 6 digits (e.g. 7113 or 711311)",
        "f.csv, row 7: field 'contact_email': 'nobody' is not an e-mail address",
    ]


def test_request_weights_text_form_and_unknown_factor():
    r = validate_record("request", {"buyer_name": "B", "description": "d", "quantity": "10",
                                    "weights": "product=3; price=0.5"})
    assert isinstance(r, BuyerRequest) and r.weights == {"product": 3.0, "price": 0.5}
    assert problems("request", {"buyer_name": "B", "description": "d", "quantity": 1, "weights": {"colour": 1}})[0] \
        .endswith("unknown factor(s) colour; known: semantic, product, capacity, min_order, lead_time, price, "
                  "certifications, sustainability, materials, export, language, country")


def test_quantity_must_be_positive_and_record_must_be_object():
    assert problems("request", {"buyer_name": "B", "description": "d", "quantity": 0}) == [
        "f.csv, row 7: field 'quantity': must be >= 1 (got 0)"]
    assert problems("request", ["not", "an", "object"]) == ["f.csv, row 7: a request must be an object, got list"]


def test_public_view_hides_private_fields():
    s = validate_record("supplier", {**BASE, "contact_email": "a@b.dz"})
    assert "contact_email" not in s.public() and s.contact_email == "a@b.dz"


def test_prices_have_a_sane_ceiling():
    from matcher.errors import RecordError
    from matcher.schema import validate_record

    with pytest.raises(RecordError) as err:
        validate_record("request", {"buyer_name": "B", "description": "d", "quantity": 1,
                                    "max_unit_price_eur": 2e9}, file="r.json", row=1)
    assert str(err.value) == "r.json, row 1: field 'max_unit_price_eur': must be <= 1e+09 (got 2e+09)"
