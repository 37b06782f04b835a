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


HAMMERING = {"CST-001", "CST-002", "CST-003", "CST-004", "CST-012", "CST-014"}  # copper, "martelé"/"martelage"


def test_every_word_in_any_order_accent_blind_and_ranked(sample_engine):
    everything = sample_engine.store.suppliers()
    found = search_suppliers(everything, q="cuivre martelé")
    assert {s.supplier_id for s in found} == HAMMERING
    assert [s.supplier_id for s in search_suppliers(everything, q="MARTELE cuivre")] == [s.supplier_id for s in found]
    assert found[0].supplier_id == "CST-001"  # says "cuivre martelé" in its description, the others in techniques
    assert search_suppliers(everything, q="cuivre martelé", country="TN") == []
    assert [s.supplier_id for s in search_suppliers(everything, q="نحاس")] == ["CST-005"]
    typo = search_suppliers(everything, q="braclets argent")  # a typo of "bracelets"
    assert typo and all("bracelets" in " ".join(s.products).lower() or "bracelet" in s.description.lower()
                        for s in typo)
    assert search_suppliers(everything, q="cuivre bijoux-inexistants") == []  # every word must be found
