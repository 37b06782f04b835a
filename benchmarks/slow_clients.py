"""150 slow clients (slowloris: partial headers, one byte every few seconds) against ``matcher serve``,
while a legitimate client asks for /healthz and a match every half second. Baseline: the same requests
with no slow client, in the same run. The slow clients connect from 127.0.0.2 (loopback), the legitimate
one from 127.0.0.1; a third round spreads them over 150 loopback addresses (the per-client bound cannot
help: only the header timeout and waitress reading asynchronously do); a fourth puts them on 127.0.0.1, the
legitimate client's own address. A slow client the server drops connects again at once, as an attacker would.

    python benchmarks/slow_clients.py [--clients 150] [--seconds 30]
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import requests
from serverkit import DATA, free_port, keys_for, matcher, percentiles, start_server

BODY = {"buyer_name": "x", "description": "plateaux en cuivre martelé", "quantity": 50, "products": ["trays"]}


class Slow:
    """The slow clients' shared tally: their sockets open now (sampled every 0.5 s; a client notices that the
    server closed one within 2 s, so this counts a refused connection until then), and those the server closed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open = 0
        self.dropped_at_once = 0  # closed within 3 s of connecting: the per-client bound
        self.dropped_later = 0  # closed later: the header timeout
        self.samples: list[int] = []

    def add(self, n: int) -> None:
        with self.lock:
            self.open += n


def slow_client(port: int, source: str, stop: threading.Event, slow: Slow) -> None:
    """Partial headers, one byte every 2 s; when the server closes the connection, connect again
    (an attacker does), so the server faces this client for the whole round."""
    while not stop.is_set():
        began = time.monotonic()
        sock = None
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
            slow.add(1)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            while not stop.wait(2.0):
                sock.sendall(b"X")  # never ends its headers
                sock.settimeout(0.01)
                try:
                    if sock.recv(1) == b"":
                        raise ConnectionResetError
                except TimeoutError:
                    pass
        except OSError:  # closed by the server: beyond the bound per client, or headers too slow
            with slow.lock:
                if time.monotonic() - began < 3.0:
                    slow.dropped_at_once += 1
                else:
                    slow.dropped_later += 1
            stop.wait(0.2)
        finally:
            if sock is not None:
                slow.add(-1)
                sock.close()


def legit(base: str, key: str, seconds: float) -> dict[str, dict[str, float]]:
    times: dict[str, list[float]] = {"healthz": [], "match": []}
    failures = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, call in (("healthz", lambda: requests.get(f"{base}/healthz", timeout=10)),
                           ("match", lambda: requests.post(f"{base}/api/v1/match", json=BODY, timeout=10,
                                                           headers={"Authorization": f"Bearer {key}"}))):
            started = time.perf_counter()
            try:
                ok = call().ok
            except requests.RequestException:
                ok = False
            times[name].append(time.perf_counter() - started)
            failures += not ok
        time.sleep(0.5)
    return {**{k: percentiles(v) for k, v in times.items()}, "failures": {"n": failures}}


def round_(port: int, key: str, clients: int, sources: list[str], seconds: float) -> dict:
    stop, slow = threading.Event(), Slow()
    threads = [threading.Thread(target=slow_client, args=(port, sources[i % len(sources)], stop, slow))
               for i in range(clients if sources else 0)]
    for t in threads:
        t.start()

    def sample() -> None:
        while not stop.wait(0.5):
            slow.samples.append(slow.open)

    sampler = threading.Thread(target=sample)
    sampler.start()
    time.sleep(1.0)
    result = legit(f"http://127.0.0.1:{port}", key, seconds)
    stop.set()
    for t in [*threads, sampler]:
        t.join()
    held = slow.samples or [0]
    return {"slow_clients": clients if sources else 0, "from": sources[0] + (f" … ({len(sources)} addresses)"
                                                                           if len(sources) > 1 else "")
            if sources else None, "held_open_mean": round(sum(held) / len(held)), "held_open_min": min(held),
            "dropped_at_once": slow.dropped_at_once, "dropped_later": slow.dropped_later, **result}


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    print(f"machine before: {uptime()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "slow.db")
        matcher(db, "import", "suppliers", str(DATA / "suppliers.csv"))
        key, port = keys_for(db)["buyer"], free_port()
        server = start_server(db, port)
        legit(f"http://127.0.0.1:{port}", key, 2.0)  # warm-up: the first match builds the index
        try:
            many = [f"127.0.{1 + i // 250}.{2 + i % 250}" for i in range(args.clients)]
            rounds = [round_(port, key, args.clients, [], args.seconds),
                      round_(port, key, args.clients, ["127.0.0.2"], args.seconds),
                      round_(port, key, args.clients, many, args.seconds),
                      round_(port, key, args.clients, ["127.0.0.1"], args.seconds)]
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"machine after: {uptime()}")
    for r in rounds:
        worst = max(r["match"]["max_ms"], r["healthz"]["max_ms"])
        verdict = "PASS" if r["failures"]["n"] == 0 and worst < 1000 else "FAIL"
        label = f"{r['slow_clients']} slow clients" + (f" from {r['from']}" if r["from"] else " (baseline)")
        print(f"{label:44} client sockets open mean {r['held_open_mean']:3} min {r['held_open_min']:3}, "
              f"dropped at once {r['dropped_at_once']:4}, later {r['dropped_later']:4} | healthz p50 "
              f"{r['healthz']['p50_ms']} p99 {r['healthz']['p99_ms']} max {r['healthz']['max_ms']} ms | match p50 "
              f"{r['match']['p50_ms']} p99 {r['match']['p99_ms']} max {r['match']['max_ms']} ms | failed "
              f"{r['failures']['n']} of {r['match']['n'] + r['healthz']['n']} | target: every legitimate request "
              f"served within 1 s: {verdict}")
    print(json.dumps(rounds))


if __name__ == "__main__":
    main()
