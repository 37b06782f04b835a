"""Uncertainty for per-request metrics: bootstrap intervals and a paired randomization test.

With 30-odd judged requests, a mean without an interval says little; every
figure the evaluation reports comes with one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.errors import InputError


def bootstrap_ci(values: Sequence[float], n_resamples: int = 2000, level: float = 0.95,
                 seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean, resampling requests with replacement."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return (0.0, 0.0)
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, x.size, size=(n_resamples, x.size))].mean(axis=1)
    tail = (1.0 - level) / 2.0
    return float(np.quantile(means, tail)), float(np.quantile(means, 1.0 - tail))


def paired_randomization_test(a: Sequence[float], b: Sequence[float], n_resamples: int = 10000,
                              seed: int = 0) -> float:
    """Two-sided p-value that systems a and b have the same mean over the same requests.

    Under the null the sign of each per-request difference is arbitrary: flip signs at
    random and count how often |mean| reaches the observed one (add-one smoothed).
    """
    if len(a) != len(b):
        raise InputError(f"paired test needs equal lengths (got {len(a)} and {len(b)})")
    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    if d.size == 0 or not np.any(d):
        return 1.0
    rng = np.random.default_rng(seed)
    signs = rng.choice([-1.0, 1.0], size=(n_resamples, d.size))
    null = np.abs((signs * d).mean(axis=1))
    observed = abs(d.mean())
    return float((np.sum(null >= observed - 1e-12) + 1) / (n_resamples + 1))
