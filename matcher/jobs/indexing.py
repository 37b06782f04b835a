"""Index refresh off the request path: readers keep the index they have while a newer one is built.

A change of suppliers (the store's version counter; on PostgreSQL also a NOTIFY that each
process LISTENs to) starts one background build; requests meanwhile score against the previous
index, never waiting for the build. The first index of a process is built on demand (there is
nothing older to serve). A writer can :meth:`~RefreshingIndexCache.wait_for` its own change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from matcher.factors import registry
from matcher.index import IndexCache, SupplierIndex

log = logging.getLogger("matcher.jobs")
Builder = Callable[[], tuple[tuple[str, int], SupplierIndex]]  # ((embedder name, suppliers version), index)


class RefreshingIndexCache(IndexCache):
    def __init__(self, builder: Builder | None = None) -> None:
        super().__init__()
        self.builder = builder
        self._state = threading.Condition()
        self._building = False
        self._wanted = 0  # newest supplier version asked for

    def current_version(self) -> int:
        return self._key[1] if self._key is not None else -1

    def get(self, key: tuple[str, int], build: Callable[[], SupplierIndex]) -> SupplierIndex:
        index, have = self._index, self._key
        if (index is not None and have is not None and self.builder is not None and have[0] == key[0]
                and have[2] == registry.version() and have[1] != key[1]):
            self.kick(key[1])
            return index  # the previous index until the new one is ready
        return super().get(key, build)

    def kick(self, version: int | None = None) -> None:
        """Build a newer index in the background (one build at a time; a newer change queues another)."""
        if self.builder is None:
            return
        with self._state:
            self._wanted = max(self._wanted, version if version is not None else self.current_version() + 1)
            if self._building:
                return
            self._building = True
        threading.Thread(target=self._build_loop, daemon=True, name="matcher-index").start()

    def _build_loop(self) -> None:
        assert self.builder is not None
        try:
            while True:
                (name, version), index = self.builder()
                with self._lock:
                    if version >= self.current_version():
                        self._index, self._key = index, (name, version, registry.version())
                with self._state:
                    self._state.notify_all()
                    if self._wanted <= version:
                        self._building = False
                        return
        except Exception:
            log.exception("index build")
            with self._state:
                self._building = False
                self._state.notify_all()

    def wait_for(self, version: int, timeout: float = 60.0) -> bool:
        """Block the caller (a writer) until the index includes ``version``; others keep reading."""
        if self._index is None:
            return False
        self.kick(version)
        with self._state:
            return self._state.wait_for(lambda: self.current_version() >= version or not self._building, timeout)
