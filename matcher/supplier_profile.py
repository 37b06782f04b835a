"""A workshop edits its own profile: only the fields suppliers may change, validated with the one
schema (matcher.schema.Supplier), written with the audit trail naming who changed which fields."""

from __future__ import annotations

from typing import Any

from matcher.errors import FieldProblem, ForbiddenError, RecordError
from matcher.keys import Principal
from matcher.schema import Supplier, validate_record
from matcher.store import Store

# What a workshop may change itself. Never supplier_id; name, country, region and cluster are the
# programme's records, and the extra sheet columns (officer notes...) are the team's.
EDITABLE = ("description", "products", "hs_codes", "materials", "techniques", "monthly_capacity", "min_order_qty",
            "lead_time_days", "price_min_eur", "price_max_eur", "certifications", "sustainability",
            "export_markets", "languages", "employees", "customization", "samples", "contact_email")


def editable_view(supplier: Supplier) -> dict[str, Any]:
    """The supplier's own editable fields, as stored."""
    return supplier.model_dump(include=set(EDITABLE))


def check_editable(changes: Any) -> Any:
    """``changes`` when every field named is one a workshop may change; else RecordError naming each other."""
    if isinstance(changes, dict):
        refused = [FieldProblem(k, "suppliers may not change this field; ask the fair team", None, "profile")
                   for k in changes if k not in EDITABLE]
        if refused:
            raise RecordError(refused)
    return changes


def edit_profile(store: Store, who: Principal, supplier_id: str, changes: dict[str, Any]) -> tuple[Supplier, list[str]]:
    """Apply ``changes`` to ``supplier_id``'s profile; (the supplier as stored, the fields changed).
    Every problem is named (RecordError) and nothing is written."""
    if who.role == "supplier" and supplier_id != who.supplier:
        raise ForbiddenError(f"this key speaks for supplier '{who.supplier}': it cannot edit the profile of "
                             f"'{supplier_id}'")
    current = store.get_supplier(supplier_id)
    check_editable(changes)
    data = {**current.model_dump(), **changes}
    updated = validate_record("supplier", data, file="profile")
    assert isinstance(updated, Supplier)
    before = current.model_dump()
    changed = sorted(k for k in changes if updated.model_dump()[k] != before[k])
    if changed:
        with store.transaction():
            store.audit_detail = "fields: " + ", ".join(changed)
            try:
                store.upsert_suppliers([updated])
            finally:
                store.audit_detail = None
    return updated, changed
