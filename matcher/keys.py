"""API keys and roles.

A key is shown once, at creation; the database keeps only its SHA-256 digest.
Keys are 256-bit random tokens, so a fast digest is enough: there is nothing
to brute-force, unlike a password.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from matcher.errors import InputError, NotFoundError
from matcher.schema import EMAIL_PATTERN
from matcher.store import Store

ROLES = ("team", "buyer", "evaluator", "supplier")
TOKEN_PREFIX = "mk_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role and, for buyers, the buyer name their requests carry; for suppliers, the
    supplier id the key speaks for. ``email``: where notifications for this key's holder go."""

    key_id: str
    role: str
    buyer: str | None = None
    supplier: str | None = None
    email: str | None = None

    def can_see_request(self, buyer_name: str) -> bool:
        """A buyer sees its own requests; a supplier only those it matches or that address it
        (matcher.reverse decides, not this); the team and evaluators all."""
        return self.role in ("team", "evaluator") or (self.role == "buyer" and buyer_name == self.buyer)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_key(store: Store, role: str, buyer: str | None = None, supplier: str | None = None,
               email: str | None = None) -> tuple[Principal, str]:
    """A new key for ``role``; returns the principal and the secret token (shown once)."""
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)} (got '{role}')")
    buyer = (buyer or "").strip() or None
    supplier = (supplier or "").strip() or None
    email = (email or "").strip() or None
    if role == "buyer" and not buyer:
        raise InputError("a buyer key needs --buyer NAME: the buyer_name its requests carry")
    if role != "buyer" and buyer:
        raise InputError(f"--buyer only applies to buyer keys, not {role}")
    if role == "supplier" and not supplier:
        raise InputError("a supplier key needs --supplier SUPPLIER_ID: the workshop it speaks for")
    if role != "supplier" and supplier:
        raise InputError(f"--supplier only applies to supplier keys, not {role}")
    if email and not re.fullmatch(EMAIL_PATTERN, email):
        raise InputError(f"--email: '{email}' is not an e-mail address")
    if supplier and not store.existing_ids("supplier", [supplier]):
        raise NotFoundError("supplier", supplier)
    key_id = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    store.insert_key(key_id, _digest(token), role, buyer, supplier, email)
    return Principal(key_id, role, buyer, supplier, email), token


def authenticate(store: Store, token: str | None) -> Principal | None:
    """The principal of a valid, unrevoked key, else None."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    row = store.active_key(_digest(token))
    return Principal(*row) if row else None


def principal_by_id(store: Store, key_id: str) -> Principal | None:
    """The principal of the unrevoked key ``key_id`` (a page session's key), else None."""
    row = store.active_key_by_id(key_id)
    return Principal(*row) if row else None


def list_keys(store: Store) -> list[dict[str, str | None]]:
    return store.keys()


def revoke_key(store: Store, key_id: str) -> None:
    if not store.revoke(key_id):
        raise NotFoundError("active API key", key_id)
