"""Uncertainty for per-request metrics: bootstrap intervals and a paired permutation test (scipy).

With 30-odd judged requests, a mean without an interval says little; every figure the
evaluation reports comes with one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

from matcher.errors import InputError


def bootstrap_ci(values: Sequence[float], n_resamples: int = 2000, level: float = 0.95,
                 seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean, resampling requests with replacement."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return (0.0, 0.0)
    if np.all(x == x[0]):  # a constant sample: every resample has the same mean
        return (float(x[0]), float(x[0]))
    result = stats.bootstrap((x,), np.mean, n_resamples=n_resamples, confidence_level=level, method="percentile",
                             rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def paired_randomization_test(a: Sequence[float], b: Sequence[float], n_resamples: int = 10000,
                              seed: int = 0) -> float:
    """Two-sided p-value that systems a and b have the same mean over the same requests.

    Under the null the two systems' values of one request are exchangeable: a permutation test
    over the pairs (scipy, ``permutation_type='samples'``), statistic the mean difference.
    """
    if len(a) != len(b):
        raise InputError(f"paired test needs equal lengths (got {len(a)} and {len(b)})")
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if x.size == 0 or not np.any(x - y):
        return 1.0
    result = stats.permutation_test((x, y), lambda u, v, axis: np.mean(u - v, axis=axis), vectorized=True,
                                    permutation_type="samples", n_resamples=n_resamples, alternative="two-sided",
                                    rng=np.random.default_rng(seed))
    return float(result.pvalue)
