from datetime import datetime

import pytest

from matcher.errors import FileFormatError, RecordError
from matcher.fair.definition import available, load_fair, parse_fair, slots
from tests.conftest import DATA, write

BASE = {"name": "F", "tables": 2, "days": [{"date": "2027-04-20", "start": "09:00", "slot_minutes": 30, "slots": 4,
                                            "breaks": ["10:00-10:15"]}],
        "buyers": [{"request_id": "R01", "unavailable": ["2027-04-20 09:00-09:30"]}],
        "suppliers": [{"supplier_id": "S1", "unavailable": ["2027-04-20"]}]}


def test_slots_skip_breaks_and_availability_blocks_overlaps():
    fair = parse_fair(BASE)
    got = [(s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in slots(fair)]
    assert got == [("09:00", "09:30"), ("09:30", "10:00"), ("10:15", "10:45"), ("10:45", "11:15")]
    assert available(fair.buyers[0], slots(fair)) == [False, True, True, True]
    assert available(fair.suppliers[0], slots(fair)) == [False] * 4
    assert slots(fair)[2].start == datetime(2027, 4, 20, 10, 15)


def test_sample_fair_file_is_valid():
    fair = load_fair(DATA / "fair" / "batna-constantine-2027.yaml")
    assert len(slots(fair)) == 18 and fair.tables == 10 and len(fair.buyers) == 16


def test_errors_name_the_file_and_field(tmp_path):
    bad = {**BASE, "tables": 0, "days": [{**BASE["days"][0], "breaks": ["11:00-10:00"]}],
           "suppliers": [{"supplier_id": "S1"}, {"supplier_id": "S1"}]}
    with pytest.raises(RecordError) as err:
        parse_fair(bad, "fair.yaml")
    assert str(err.value) == ("fair.yaml: field 'days.0.breaks': '11:00-10:00' ends before it starts; "
                              "fair.yaml: field 'tables': Input should be greater than or equal to 1")
    with pytest.raises(RecordError) as err:
        parse_fair({**BASE, "suppliers": [{"supplier_id": "S1"}, {"supplier_id": "S1"}]}, "fair.yaml")
    assert str(err.value) == "fair.yaml: field 'suppliers.1.supplier_id': 'S1' is listed twice"
    with pytest.raises(FileFormatError, match=r"^fair\.txt: a fair definition must be \.yaml, \.yml or \.json$"):
        load_fair(write(tmp_path, "fair.txt", "x"))
    with pytest.raises(FileFormatError, match=r"^broken\.yaml: cannot parse: "):
        load_fair(write(tmp_path, "broken.yaml", "name: [unclosed"))
