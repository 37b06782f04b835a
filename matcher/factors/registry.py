"""The factor registry: every module of matcher/factors registers its factor here."""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from matcher.errors import ConfigError
from matcher.factors.base import Factor

F = TypeVar("F", bound=type[Factor])
_FACTORS: dict[str, Factor] = {}
_state = {"loaded": False, "version": 0}
_LOCK = threading.RLock()
_INFRA = {"base", "registry"}


def register(cls: F) -> F:
    """Class decorator: add one instance of ``cls`` to the registry."""
    add(cls())
    return cls


def add(factor: Factor) -> None:
    if factor.name in _FACTORS and type(_FACTORS[factor.name]) is not type(factor):
        raise ConfigError(f"two factors are named '{factor.name}'")
    _FACTORS[factor.name] = factor
    _state["version"] += 1


def remove(name: str) -> None:
    _FACTORS.pop(name, None)
    _state["version"] += 1


def _load() -> None:
    """Import every factor module once; a module that fails to import fails every call, never a
    silently partial registry."""
    if _state["loaded"]:
        return
    with _LOCK:
        if _state["loaded"]:
            return
        import matcher.factors as package

        for module in pkgutil.iter_modules(package.__path__):
            if module.name not in _INFRA and not module.name.startswith("_"):
                importlib.import_module(f"matcher.factors.{module.name}")
        _state["loaded"] = True


def all_factors() -> list[Factor]:
    """Every registered factor (weighted or gate-only), in position order."""
    return list(_ordered()[0])


def weighted() -> list[Factor]:
    return list(_ordered()[1])


def in_reason_order() -> list[Factor]:
    """Weighted factors in the order their reasons appear in an explanation."""
    return list(_ordered()[2])


def names() -> tuple[str, ...]:
    """Names of the weighted factors, in scoring order: the keys of every weight vector."""
    return _ordered()[3]


_cache: dict[int, tuple[tuple[Factor, ...], tuple[Factor, ...], tuple[Factor, ...], tuple[str, ...]]] = {}


def _ordered() -> tuple[tuple[Factor, ...], tuple[Factor, ...], tuple[Factor, ...], tuple[str, ...]]:
    _load()
    version = _state["version"]
    if version not in _cache:
        ordered = tuple(sorted(_FACTORS.values(), key=lambda f: (f.position, f.name)))
        scored = tuple(f for f in ordered if f.weighted)
        by_reason = tuple(sorted(scored, key=lambda f: (f.reason_position or f.position, f.name)))
        _cache.clear()
        _cache[version] = (ordered, scored, by_reason, tuple(f.name for f in scored))
    return _cache[version]


def get(name: str) -> Factor:
    _load()
    try:
        return _FACTORS[name]
    except KeyError:
        raise ConfigError(f"unknown factor '{name}'; known: {', '.join(names())}") from None


def version() -> int:
    """Changes whenever a factor is added or removed (indexes built before are stale)."""
    _load()
    return _state["version"]


@contextmanager
def extra(factor: Factor) -> Iterator[Factor]:
    """Register ``factor`` for the duration of a block (tests, experiments)."""
    add(factor)
    try:
        yield factor
    finally:
        remove(factor.name)
