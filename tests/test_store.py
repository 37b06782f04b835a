import pytest

from matcher.errors import NotFoundError
from matcher.schema import Supplier
from matcher.store import Store


def sup(sid, cap=10):
    return Supplier(supplier_id=sid, name=sid, country="DZ", description="d", products=["bagues"],
                    monthly_capacity=cap, lead_time_days=1)


def test_schema_created_on_first_use_and_data_persists(tmp_path):
    path = tmp_path / "sub" / "m.db"
    store = Store(path)
    assert store.upsert_suppliers([sup("A"), sup("B")]) == (2, 0)
    store.close()
    again = Store(path)
    assert [s.supplier_id for s in again.suppliers()] == ["A", "B"]
    assert again.upsert_suppliers([sup("A", 99)]) == (0, 1) and again.get_supplier("A").monthly_capacity == 99


def test_transaction_rolls_back_everything(store):
    version = store.suppliers_version()
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_suppliers([sup("A")])
        raise RuntimeError("boom")
    assert store.count_suppliers() == 0 and store.suppliers_version() == version


def test_version_bumps_and_not_found(store):
    store.upsert_suppliers([sup("A")])
    v = store.suppliers_version()
    store.delete_supplier("A")
    assert store.suppliers_version() == v + 1
    with pytest.raises(NotFoundError, match=r"^supplier 'A' not found$"):
        store.delete_supplier("A")
    with pytest.raises(NotFoundError, match=r"^request 'R9' not found$"):
        store.get_request("R9")
