import hashlib

import pytest

from matcher.errors import InputError, NotFoundError
from matcher.keys import authenticate, create_key, list_keys, revoke_key


def test_keys_are_stored_as_digests_and_authenticate(store):
    principal, token = create_key(store, "buyer", "  Maison Aurès ")
    assert principal.buyer == "Maison Aurès" and token.startswith(f"mk_{principal.key_id}_")
    (digest,) = store.key_digests()
    assert digest == hashlib.sha256(token.encode()).hexdigest() and token not in digest
    assert authenticate(store, token) == principal
    assert authenticate(store, token + "x") is None and authenticate(store, None) is None
    assert authenticate(store, "") is None


def test_buyers_see_only_their_own_requests(store):
    buyer, _ = create_key(store, "buyer", "A")
    team, _ = create_key(store, "team")
    assert buyer.can_see_request("A") and not buyer.can_see_request("B")
    assert team.can_see_request("B")


def test_revoked_keys_stop_working(store):
    principal, token = create_key(store, "evaluator")
    revoke_key(store, principal.key_id)
    assert authenticate(store, token) is None
    assert list_keys(store)[0]["revoked_at"] is not None
    with pytest.raises(NotFoundError, match=rf"^active API key '{principal.key_id}' not found$"):
        revoke_key(store, principal.key_id)


def test_bad_roles(store):
    with pytest.raises(InputError, match=r"^role must be one of team, buyer, evaluator, supplier \(got 'admin'\)$"):
        create_key(store, "admin")


def test_supplier_keys_name_a_known_workshop(sample_engine):
    store = sample_engine.store
    principal, token = create_key(store, "supplier", supplier="BAT-002", email="atelier@example.org")
    assert authenticate(store, token) == principal
    assert (principal.role, principal.supplier, principal.buyer) == ("supplier", "BAT-002", None)
    assert store.key_emails("supplier", "BAT-002") == ["atelier@example.org"]
    with pytest.raises(NotFoundError, match=r"^supplier 'NOPE-1' not found$"):
        create_key(store, "supplier", supplier="NOPE-1")
    with pytest.raises(InputError, match=r"^a supplier key needs --supplier SUPPLIER_ID: the workshop it speaks for$"):
        create_key(store, "supplier")
    with pytest.raises(InputError, match=r"^--supplier only applies to supplier keys, not buyer$"):
        create_key(store, "buyer", "Maison", supplier="BAT-002")
    with pytest.raises(InputError, match=r"^--email: 'nope' is not an e-mail address$"):
        create_key(store, "supplier", supplier="BAT-002", email="nope")
    assert [k["supplier"] for k in list_keys(store)] == ["BAT-002"]
