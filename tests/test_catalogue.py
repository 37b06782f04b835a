from matcher.catalogue import search_suppliers


def test_filters_ignore_case_and_accents(sample_engine):
    everything = sample_engine.store.suppliers()
    found = search_suppliers(everything, q="AURES", country="dz", cluster="batna")
    assert found and all(s.country == "DZ" and "Batna" in (s.cluster or "") for s in found)
    assert any("Aurès" in s.name or "Aurès" in s.description for s in found)
    trays = search_suppliers(everything, product="PLATEAU")
    assert trays and all(any("plateau" in p.lower() for p in s.products) for s in trays)
    assert search_suppliers(everything) == everything
    assert search_suppliers(everything, q="no such thing anywhere") == []
