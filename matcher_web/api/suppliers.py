"""The supplier catalogue: search, read, create, replace, delete, import a sheet."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint

from matcher.catalogue import search_suppliers
from matcher.io.importer import ImportReport
from matcher.keys import Principal
from matcher.schema import PublicSupplier, Supplier, validate_record

from ..auth import authorize
from ..contract import operation
from ..db import get_db, get_engine
from ..errors import ApiError, ErrorDetail
from ..models import ImportForm, SupplierList, SupplierQuery
from . import READERS, TEAM

bp = Blueprint("suppliers", __name__, url_prefix="/api/v1")
IMPORT_TYPES = (".csv", ".xlsx", ".json", ".jsonl")


def supplier_view(who: Principal | None, supplier: Supplier) -> Supplier | PublicSupplier:
    """Every field for the team; the public fields (an allowlist, matcher.schema) for everyone else."""
    return supplier if who is not None and who.role == "team" else supplier.public()


def parse_supplier(data: Any) -> Supplier:
    return validate_record("supplier", data, file="request body")  # type: ignore[return-value]


def find(query: SupplierQuery) -> list[Supplier]:
    return search_suppliers(get_db().suppliers(), query.q, query.country, query.cluster, query.product)


@operation(bp, "/suppliers", "GET", query=SupplierQuery, roles=READERS, responses={200: SupplierList})
def list_suppliers(query: SupplierQuery) -> SupplierList:
    """Search the catalogue: text filters ignore case, accents and punctuation."""
    who, found = authorize(READERS), find(query)
    page = found[query.offset:query.offset + query.limit]
    return SupplierList(total=len(found), suppliers=[supplier_view(who, s) for s in page])


@operation(bp, "/suppliers", "POST", body=Supplier, parse=parse_supplier, roles=TEAM, responses={201: Supplier},
           errors=(409,))
def create_supplier(body: Supplier) -> tuple[Supplier, int]:
    """Add a supplier (409 when the id exists: use PUT to replace)."""
    store = get_db()
    with store.transaction():
        if store.existing_ids("supplier", [body.supplier_id]):
            raise ApiError(409, "conflict", f"supplier '{body.supplier_id}' exists; use PUT to replace it")
        store.upsert_suppliers([body])
    return body, 201


@operation(bp, "/suppliers/<supplier_id>", "GET", roles=READERS, responses={200: Supplier | PublicSupplier},
           errors=(404,))
def get_supplier(supplier_id: str) -> Supplier | PublicSupplier:
    """One supplier."""
    return supplier_view(authorize(READERS), get_db().get_supplier(supplier_id))


def _with_url_id(supplier_id: str) -> Any:
    def parse(data: Any) -> Supplier:
        if isinstance(data, dict) and data.setdefault("supplier_id", supplier_id) != supplier_id:
            raise ApiError(422, "invalid", f"supplier_id in the body ('{data['supplier_id']}') differs from the "
                           f"URL ('{supplier_id}')", [ErrorDetail(field="supplier_id", message="differs from URL")])
        return parse_supplier(data)
    return parse


@operation(bp, "/suppliers/<supplier_id>", "PUT", body=Supplier, parse=lambda data: data, roles=TEAM,
           responses={200: Supplier, 201: Supplier})
def put_supplier(supplier_id: str, body: Any) -> tuple[Supplier, int]:
    """Create or replace a supplier (the id in the body, when given, must be the URL's)."""
    supplier = _with_url_id(supplier_id)(body)
    inserted, _ = get_db().upsert_suppliers([supplier])
    return supplier, 201 if inserted else 200


@operation(bp, "/suppliers/<supplier_id>", "DELETE", roles=TEAM, responses={204: None}, errors=(404,))
def delete_supplier(supplier_id: str) -> tuple[None, int]:
    """Remove a supplier."""
    get_db().delete_supplier(supplier_id)
    return None, 204


def import_upload(upload: Any, strict: bool) -> ImportReport:
    """Store an uploaded sheet under its own name and import it (shared with the team page)."""
    name = Path(upload.filename or "").name
    if not name.lower().endswith(IMPORT_TYPES):
        raise ApiError(415, "unsupported_media_type",
                       f"'{name or 'upload'}': supplier sheets must be {', '.join(IMPORT_TYPES)}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        upload.save(path)
        return get_engine().import_file(path, "supplier", strict=strict)


@operation(bp, "/suppliers/import", "POST", form=ImportForm, roles=TEAM, responses={200: ImportReport})
def import_suppliers(form: ImportForm) -> ImportReport:
    """Import a supplier sheet (CSV, XLSX, JSON, JSONL): every row reported; strict: all or nothing."""
    return import_upload(form.file, form.strict)
