"""150 slow clients (slowloris: partial headers, one byte every few seconds) against ``matcher serve``,
while a legitimate client asks for /healthz and a match every half second. Baseline: the same requests
with no slow client, in the same run. The slow clients connect from 127.0.0.2 (loopback), the legitimate
one from 127.0.0.1; a second round puts the slow clients on 127.0.0.1 too.

    python benchmarks/slow_clients.py [--clients 150] [--seconds 30]
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
from pathlib import Path

import requests
from serverkit import DATA, free_port, keys_for, matcher, percentiles, start_server

BODY = {"buyer_name": "x", "description": "plateaux en cuivre martelé", "quantity": 50, "products": ["trays"]}


def slow_client(port: int, source: str, stop: threading.Event, dropped: list[float], began: float) -> None:
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
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
        dropped.append(time.monotonic() - began)
        return
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


def round_(port: int, key: str, clients: int, source: str | None, seconds: float) -> dict:
    stop, dropped, began = threading.Event(), [], time.monotonic()
    threads = [threading.Thread(target=slow_client, args=(port, source, stop, dropped, began))
               for _ in range(clients if source else 0)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    result = legit(f"http://127.0.0.1:{port}", key, seconds)
    stop.set()
    for t in threads:
        t.join()
    early = sum(1 for t in dropped if t < 3.0)  # refused by the per-client bound (the others: header timeout)
    return {"slow_clients": clients if source else 0, "from": source, "dropped_at_once": early,
            "dropped_later": len(dropped) - early, **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "slow.db")
        matcher(db, "import", "suppliers", str(DATA / "suppliers.csv"))
        key, port = keys_for(db)["buyer"], free_port()
        server = start_server(db, port)
        legit(f"http://127.0.0.1:{port}", key, 2.0)  # warm-up: the first match builds the index
        try:
            rounds = [round_(port, key, args.clients, None, args.seconds),
                      round_(port, key, args.clients, "127.0.0.2", args.seconds),
                      round_(port, key, args.clients, "127.0.0.1", args.seconds)]
        finally:
            server.terminate()
            server.wait(timeout=30)
    for r in rounds:
        label = f"{r['slow_clients']} slow clients" + (f" from {r['from']}" if r["from"] else " (baseline)")
        print(f"{label:36} dropped at once {r['dropped_at_once']:3}, later {r['dropped_later']:3} | healthz p50 "
              f"{r['healthz']['p50_ms']} p99 {r['healthz']['p99_ms']} max {r['healthz']['max_ms']} ms | match p50 "
              f"{r['match']['p50_ms']} p99 {r['match']['p99_ms']} max {r['match']['max_ms']} ms | failed "
              f"{r['failures']['n']}")
    print(json.dumps(rounds))


if __name__ == "__main__":
    main()
