"""What the server scripts share: the ``matcher`` command, a server subprocess on a free loopback port,
sample sheets of any size, and percentiles."""

from __future__ import annotations

import csv
import io
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import requests

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **(extra or {})}


def matcher(db: str, *args: str, embedder: str = "hashing") -> str:
    """Run ``matcher --db DB --embedder E ARGS``; its standard output."""
    out = subprocess.run([sys.executable, "-m", "matcher_cli", "--db", db, "--embedder", embedder, *args],
                         capture_output=True, text=True, env=_env(), cwd=ROOT, check=True)
    return out.stdout


def keys_for(db: str, supplier: str | None = None) -> dict[str, str]:
    """Keys of every role; a supplier key when ``supplier`` (a stored supplier id) is given."""
    made = {role: matcher(db, "keys", "create", "--role", role).strip() for role in ("team", "evaluator")}
    made["buyer"] = matcher(db, "keys", "create", "--role", "buyer", "--buyer", "Maison Aurès").strip()
    if supplier:
        made["supplier"] = matcher(db, "keys", "create", "--role", "supplier", "--supplier", supplier).strip()
    return made


def start_server(db: str, port: int, *args: str, embedder: str = "hashing", log: str | None = None,
                 env: dict[str, str] | None = None, timeout: float = 120.0) -> subprocess.Popen[bytes]:
    """``matcher serve`` on ``port`` (extra ``args``: --workers, --threads...), once /healthz answers."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - the child keeps it
    proc = subprocess.Popen([sys.executable, "-m", "matcher_cli", "--db", db, "--embedder", embedder, "serve",
                             "--port", str(port), *args], env=_env(env), cwd=ROOT, stdout=out, stderr=out)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def sheet(rows: int, seed: int = 0, prefix: str = "GEN") -> bytes:
    """A supplier sheet of ``rows`` rows: the sample's rows again and again under new ids, texts varied."""
    rng = random.Random(seed)
    base = list(csv.DictReader(io.StringIO((DATA / "suppliers.csv").read_text("utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(base[0]))
    writer.writeheader()
    words = ["martelé", "ciselé", "émaillé", "filigrane", "gravé", "poli", "patiné", "ajouré"]
    for n in range(rows):
        row = dict(base[n % len(base)])
        row["supplier_id"] = f"{prefix}-{n:06d}"
        row["description"] += " " + " ".join(rng.sample(words, 3)) + f" série {n}"
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def percentiles(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"n": 0}
    a = np.asarray(seconds) * 1000
    return {"n": len(a), "p50_ms": round(float(np.percentile(a, 50)), 1),
            "p95_ms": round(float(np.percentile(a, 95)), 1), "p99_ms": round(float(np.percentile(a, 99)), 1),
            "max_ms": round(float(a.max()), 1)}
