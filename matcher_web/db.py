"""Per-request resources, as flaskr's ``get_db``: a database connection and an engine per request,
around the app-wide parts that are expensive to make (the model, the supplier index, the profile)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, g

from matcher.embeddings import Embedder
from matcher.engine import Engine
from matcher.index import IndexCache
from matcher.profiles import Profile
from matcher.store import Store


@dataclass
class Resources:
    """What every request shares: built once in ``create_app``."""

    database: str
    profile: Profile
    embedder: Embedder
    indexes: IndexCache = field(default_factory=IndexCache)
    cache: dict[Any, Any] = field(default_factory=dict)  # evaluation results per (profile, suppliers version)

    def open_store(self) -> Store:
        return Store(self.database, migrate=False)


def resources() -> Resources:
    return current_app.extensions["matcher"]


def get_db() -> Store:
    """This request's database connection (opened on first use, closed when the request ends)."""
    if "store" not in g:
        g.store = resources().open_store()
    return g.store


def get_engine() -> Engine:
    """This request's engine: its connection, the shared model, profile and index."""
    if "engine" not in g:
        r = resources()
        g.engine = Engine(get_db(), profile=r.profile, embedder=r.embedder, indexes=r.indexes)
    return g.engine


def close_db(_error: BaseException | None = None) -> None:
    store = g.pop("store", None)
    g.pop("engine", None)
    if store is not None:
        store.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
