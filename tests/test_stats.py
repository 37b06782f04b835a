import numpy as np
import pytest

from matcher.errors import InputError
from matcher.evaluation.stats import bootstrap_ci, paired_randomization_test


def test_bootstrap_interval_brackets_the_mean_and_is_seeded():
    values = np.random.default_rng(1).normal(0.7, 0.1, size=40)
    lo, hi = bootstrap_ci(values, seed=3)
    assert lo < values.mean() < hi
    assert (lo, hi) == bootstrap_ci(values, seed=3)
    assert bootstrap_ci([0.5] * 10) == (0.5, 0.5)
    assert bootstrap_ci([]) == (0.0, 0.0)


def test_paired_test_separates_real_from_null_differences():
    rng = np.random.default_rng(0)
    a = rng.uniform(0.4, 0.9, size=30)
    assert paired_randomization_test(a, a) == 1.0
    assert paired_randomization_test(a, a - 0.05) < 0.001  # same shift on every request
    noise = a + rng.normal(0, 0.05, size=30)
    assert paired_randomization_test(a, noise) > 0.05


def test_paired_test_needs_pairs():
    with pytest.raises(InputError, match=r"^paired test needs equal lengths \(got 2 and 3\)$"):
        paired_randomization_test([1, 2], [1, 2, 3])
