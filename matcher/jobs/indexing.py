"""Index refresh off the request path: readers keep the index they have while it is brought up to date.

A change of suppliers (the store's version counter; on PostgreSQL also a NOTIFY that each
process LISTENs to) starts one background refresh, which applies the changed rows to the index
(:meth:`matcher.index.IndexCache.get`: an update, not a rebuild); requests meanwhile score against
the previous index, never waiting. The first index of a process is built on demand (there is
nothing older to serve). A writer can :meth:`~RefreshingIndexCache.wait_for` its own change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from matcher.factors import registry
from matcher.index import IndexCache, SupplierIndex

log = logging.getLogger("matcher.jobs")
Refresher = Callable[[], SupplierIndex]  # brings this cache up to date on a connection of its own


class RefreshingIndexCache(IndexCache):
    def __init__(self, refresher: Refresher | None = None) -> None:
        super().__init__()
        self.refresher = refresher
        self._state = threading.Condition()
        self._building = False
        self._wanted = 0  # newest supplier version asked for
        self._local = threading.local()

    def current_version(self) -> int:
        current = self.peek()
        return current.version_ if current is not None else -1

    def get(self, key: tuple[Any, ...], version: int, build: Callable[[], SupplierIndex],
            update: Callable[[SupplierIndex], SupplierIndex], wait: bool = True) -> SupplierIndex:
        current = self._current
        if (current is not None and self.refresher is not None and not getattr(self._local, "refreshing", False)
                and current[0] == (*key, registry.version()) and current[1].version_ < version):
            self.kick(version)
            return current[1]  # the previous index until the refreshed one is ready
        return super().get(key, version, build, update, wait)

    def kick(self, version: int | None = None) -> None:
        """Refresh in the background (one refresh at a time; a newer change queues another)."""
        if self.refresher is None:
            return
        with self._state:
            self._wanted = max(self._wanted, version if version is not None else self.current_version() + 1)
            if self._building:
                return
            self._building = True
        threading.Thread(target=self._refresh_loop, daemon=True, name="matcher-index").start()

    def _refresh_loop(self) -> None:
        assert self.refresher is not None
        self._local.refreshing = True
        try:
            while True:
                version = self.refresher().version_
                with self._state:
                    self._state.notify_all()
                    if self._wanted <= version:
                        self._building = False
                        return
        except Exception:
            log.exception("index refresh")
            with self._state:
                self._building = False
                self._state.notify_all()

    def wait_for(self, version: int, timeout: float = 60.0) -> bool:
        """Block the caller (a writer) until the index includes ``version``; others keep reading."""
        if self.peek() is None:
            return False
        self.kick(version)
        with self._state:
            return self._state.wait_for(lambda: self.current_version() >= version or not self._building, timeout)
