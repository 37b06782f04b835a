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


def test_migrations_are_versioned_and_a_round_one_database_is_upgraded(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    old = sqlite3.connect(path)  # the round-1 schema: no schema_migrations, a match_runs table
    old.executescript("CREATE TABLE suppliers (supplier_id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL,"
                      " cluster TEXT, data TEXT NOT NULL, updated_at TEXT NOT NULL);"
                      "CREATE TABLE match_runs (run_id INTEGER PRIMARY KEY, request_id TEXT, result TEXT);")
    old.commit()
    old.close()
    store = Store(path)
    tables = {r[0] for r in store.db.all("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "match_runs" not in tables and {"suppliers", "requests", "api_keys", "fair_plans"} <= tables
    assert [r[1] for r in store.db.all("SELECT * FROM schema_migrations ORDER BY number")] == [
        "0001_initial.sql", "0002_drop_match_runs.sql", "0003_server.sql", "0004_supplier_revisions.sql",
        "0005_meetings.sql"]
    assert store.db.migrate() == []  # nothing left to apply
    store.close()


def test_plans_round_trip_as_typed_models(store):
    from matcher.fair.definition import parse_fair
    from matcher.fair.model import Meeting, Plan

    fair = parse_fair({"name": "F", "days": [{"date": "2027-05-04", "start": "09:00", "slot_minutes": 30,
                                               "slots": 2}], "tables": 1, "buyers": [{"request_id": "R1"}],
                       "suppliers": [{"supplier_id": "S1"}]})
    meeting = Meeting(meeting_id="M0001", request_id="R1", buyer_name="B", supplier_id="S1", supplier_name="S",
                      slot=0, start="2027-05-04T09:00", end="2027-05-04T09:30", table=1, value=1.0, score=0.5,
                      eligible=True, wish="", must=False, why="because")
    plan = Plan(fair="F", stats={"meetings": 1}, solver={"status": "x"}, notes=[], meetings=[meeting])
    store.save_plan("fair-1", fair, plan)
    store.put_outcomes("fair-1", [("M0001", "agreement", "signed")])
    definition, stored = store.get_plan("fair-1")
    assert definition == fair and stored.meetings == [meeting] and stored.outcomes["M0001"].note == "signed"
    assert [p.plan_id for p in store.plans()] == ["fair-1"]
