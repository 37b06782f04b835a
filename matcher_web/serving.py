"""Serving over waitress, hardened: connection and header timeouts, a bound on connections per client,
and several worker processes sharing one listening socket (``matcher serve --workers N``).

waitress reads every request asynchronously before a worker thread sees it, so slow clients hold
a socket, never a thread; ``channel_timeout`` closes idle connections, ``header_timeout`` those
that take too long to send their headers (slowloris), and ``per_client`` refuses connections
beyond a bound from one address. Why waitress and not gunicorn: gunicorn's gthread worker hands a
connection to a thread as soon as it is readable, so partial headers hold threads
(docs/decisions/jobs.md, "Serving").
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import create_server

log = logging.getLogger("matcher.web")


@dataclass(frozen=True)
class Limits:
    threads: int = 8
    channel_timeout: int = 30  # seconds a connection may stay silent
    header_timeout: float = 10.0  # seconds from a request's first byte to the end of its headers
    connection_limit: int = 1000  # open connections per process
    per_client: int = 64  # open connections per client address
    max_header_bytes: int = 64 * 1024
    cleanup_interval: int = 2


class GuardedChannel(HTTPChannel):
    """Closes a connection whose request headers take longer than ``header_timeout`` seconds."""

    header_timeout = Limits.header_timeout

    def received(self, data: bytes) -> bool:
        now = time.monotonic()
        if self.request is None or getattr(self.request, "headers_finished", True):
            self._header_began = now
        elif now - getattr(self, "_header_began", now) > self.header_timeout:
            self.will_close = True
            return False
        result: bool = super().received(data)
        return result


def _bounded_accept(server: Any, per_client: int) -> Callable[[], None]:
    """waitress's accept, refusing a connection beyond ``per_client`` open ones from the same address."""

    def handle_accept() -> None:
        try:
            accepted = server.accept()
            if accepted is None:
                return
            conn, addr = accepted
        except OSError:
            return
        host = addr[0] if isinstance(addr, tuple) else addr
        open_ = sum(1 for ch in list(server._map.values())
                    if isinstance(ch, HTTPChannel) and isinstance(ch.addr, tuple) and ch.addr[0] == host)
        if open_ >= per_client:
            conn.close()
            return
        server.channel_class(server, conn, server.fix_addr(addr), server.adj, map=server._map)

    return handle_accept


def make_server(app: Any, host: str = "127.0.0.1", port: int = 0, limits: Limits = Limits(),
                sock: socket.socket | None = None) -> Any:
    """A waitress server for ``app`` with ``limits`` (on ``sock`` when given: a shared listening socket)."""
    where: dict[str, Any] = {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    server = create_server(app, threads=limits.threads, channel_timeout=limits.channel_timeout,
                           connection_limit=limits.connection_limit, cleanup_interval=limits.cleanup_interval,
                           max_request_header_size=limits.max_header_bytes, ident="artisan-matcher", **where)
    channel = type("Channel", (GuardedChannel,), {"header_timeout": limits.header_timeout})
    server.channel_class = channel
    server.handle_accept = _bounded_accept(server, limits.per_client)
    return server


def serve_workers(make_app: Callable[[], Any], host: str, port: int, workers: int, limits: Limits) -> None:
    """Pre-fork ``workers`` processes, each with its own app (index, job runner) on one listening socket;
    a worker that dies is replaced. Stops on SIGTERM or SIGINT."""
    listener = socket.create_server((host, port), reuse_port=False, backlog=1024)
    listener.setblocking(False)
    children: dict[int, int] = {}

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                make_server(make_app(), limits=limits, sock=listener).run()
            finally:
                os._exit(0)
        children[pid] = slot

    stopping = False

    def stop(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in range(workers):
        spawn(slot)
    while not stopping:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid and pid in children:
            slot = children.pop(pid)
            log.warning("worker %d exited (status %d); starting another", pid, status)
            print(f"worker {pid} exited (status {status}); starting another", file=sys.stderr)
            spawn(slot)
        time.sleep(0.2)
    for pid in children:
        os.kill(pid, signal.SIGTERM)
    for pid in list(children):
        os.waitpid(pid, 0)
