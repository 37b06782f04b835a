"""The supplier catalogue: search, read, create, replace, delete, import a sheet."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Blueprint

from matcher.catalogue import search_suppliers
from matcher.jobs import Job, job_view, submit
from matcher.keys import Principal
from matcher.schema import PublicSupplier, Supplier, validate_record

from ..auth import authorize
from ..contract import operation
from ..db import get_db, resources, wait_for_index
from ..errors import ApiError, ErrorDetail
from ..models import ImportForm, SupplierList, SupplierQuery, SupplierReplacement
from . import READERS, TEAM

bp = Blueprint("suppliers", __name__, url_prefix="/api/v1")
UNSAFE = re.compile(r"[^\w.\-]+")  # kept in file names: letters in any script, digits, '.', '-', '_'


def supplier_view(who: Principal | None, supplier: Supplier,
                  public: list[str] | None = None) -> Supplier | PublicSupplier:
    """Every field for the team; for everyone else the public fields (an allowlist, matcher.schema) and
    the extra columns the team marked public at import."""
    if who is not None and who.role == "team":
        return supplier
    return supplier.public(get_db().public_columns() if public is None else public)


def parse_supplier(data: Any) -> Supplier:
    return validate_record("supplier", data, file="request body")  # type: ignore[return-value]


def catalogue() -> list[Supplier]:
    """Every supplier, sorted by id (parsed once per change of the catalogue, not per request)."""
    return resources().catalogue(get_db())


def find(query: SupplierQuery) -> list[Supplier]:
    return search_suppliers(catalogue(), query.q, query.country, query.cluster, query.product)


@operation(bp, "/suppliers", "GET", query=SupplierQuery, roles=READERS, responses={200: SupplierList})
def list_suppliers(query: SupplierQuery) -> SupplierList:
    """Search the catalogue: text filters ignore case, accents and punctuation."""
    who, found, public = authorize(READERS), find(query), get_db().public_columns()
    page = found[query.offset:query.offset + query.limit]
    return SupplierList(total=len(found), suppliers=[supplier_view(who, s, public) for s in page])


@operation(bp, "/suppliers", "POST", body=Supplier, parse=parse_supplier, roles=TEAM, responses={201: Supplier},
           errors=(409,))
def create_supplier(body: Supplier) -> tuple[Supplier, int]:
    """Add a supplier (409 when the id exists: use PUT to replace)."""
    store = get_db()
    with store.transaction():
        if store.existing_ids("supplier", [body.supplier_id]):
            raise ApiError(409, "conflict", f"supplier '{body.supplier_id}' exists; use PUT to replace it")
        store.upsert_suppliers([body])
    wait_for_index()
    return body, 201


@operation(bp, "/suppliers/<supplier_id>", "GET", roles=READERS, responses={200: Supplier | PublicSupplier},
           errors=(404,))
def get_supplier(supplier_id: str) -> Supplier | PublicSupplier:
    """One supplier."""
    return supplier_view(authorize(READERS), get_db().get_supplier(supplier_id))


def _with_url_id(supplier_id: str) -> Any:
    def parse(data: Any) -> Supplier:
        if isinstance(data, dict) and data.get("supplier_id") is None:
            data["supplier_id"] = supplier_id
        if isinstance(data, dict) and data["supplier_id"] != supplier_id:
            raise ApiError(422, "invalid", f"supplier_id in the body ('{data['supplier_id']}') differs from the "
                           f"URL ('{supplier_id}')", [ErrorDetail(field="supplier_id", message="differs from URL")])
        return parse_supplier(data)
    return parse


@operation(bp, "/suppliers/<supplier_id>", "PUT", body=SupplierReplacement, parse=lambda data: data, roles=TEAM,
           responses={200: Supplier, 201: Supplier})
def put_supplier(supplier_id: str, body: Any) -> tuple[Supplier, int]:
    """Create or replace a supplier (the id in the body, when given, must be the URL's)."""
    supplier = _with_url_id(supplier_id)(body)
    inserted, _ = get_db().upsert_suppliers([supplier])
    wait_for_index()
    return supplier, 201 if inserted else 200


@operation(bp, "/suppliers/<supplier_id>", "DELETE", roles=TEAM, responses={204: None}, errors=(404,))
def delete_supplier(supplier_id: str) -> tuple[None, int]:
    """Remove a supplier."""
    get_db().delete_supplier(supplier_id)
    wait_for_index()
    return None, 204


def upload_name(upload: Any) -> str:
    """The uploaded file's own name, reduced to letters, digits, '.', '-' and '_' (no path, no odd bytes)."""
    name = UNSAFE.sub("_", Path(str(upload.filename or "").replace("\\", "/")).name).strip("._")[-120:]
    return name or "upload"


def import_upload(upload: Any, strict: bool, public_columns: list[str]) -> str:
    """Queue an uploaded sheet's import as a background job; its id (shared with the team page).
    A file of another type makes the job fail, naming the types taken."""
    name = upload_name(upload)
    payload = upload.read()
    return submit(get_db(), "import_suppliers", {"file": name, "strict": strict, "public_columns": public_columns},
                  payload)


@operation(bp, "/suppliers/import", "POST", form=ImportForm, roles=TEAM, responses={202: Job})
def import_suppliers(form: ImportForm) -> tuple[Job, int]:
    """Import a supplier sheet (CSV, XLSX, JSON, JSONL) as a background job: poll GET /jobs/{job_id}.

    Every row is reported in the job's result; strict: all or nothing. public_columns: extra sheet
    columns buyers and evaluators may see (every other extra column stays team-only)."""
    if not hasattr(form.file, "read"):
        raise ApiError(422, "invalid", "form: field 'file': upload a file", [ErrorDetail(field="file",
                                                                                         message="upload a file")])
    job_id = import_upload(form.file, form.strict, form.public_columns)
    return job_view(get_db().get_job(job_id)), 202
