"""Persistence: every SQL statement of the project lives in this package (see base.Store)."""

from matcher.store.base import Store
from matcher.store.db import now

__all__ = ["Store", "now"]
