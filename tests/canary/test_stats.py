"""The canary's statistics against brute force and scipy's reference tests."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from vigil.canary.stats import hodges_lehmann, pairwise_quantile, rate_ratio


@pytest.mark.parametrize("discrete", [False, True])
def test_pairwise_quantile_equals_the_sorted_differences(discrete: bool):
    rng = np.random.default_rng(3)
    if discrete:
        x, y = rng.integers(0, 5, 301).astype(float), rng.integers(0, 3, 199).astype(float)
    else:
        x, y = rng.normal(0.0, 1.0, 301), rng.normal(0.4, 2.0, 199)
    x, y = np.sort(x), np.sort(y)
    brute = np.sort(np.subtract.outer(x, y).ravel())
    for k in (1, 2, 500, 29_950, 59_898, 59_899):
        assert pairwise_quantile(x, y, k) == brute[k - 1]


def test_pairwise_quantile_refuses_a_rank_outside_the_pairs():
    with pytest.raises(ValueError, match=r"k=7 is outside 1\.\.6"):
        pairwise_quantile(np.array([1.0, 2.0]), np.array([0.0, 1.0, 2.0]), 7)


def test_hodges_lehmann_finds_an_exact_shift():
    base = np.random.default_rng(5).normal(10.0, 1.0, 400)
    found = hodges_lehmann(base + 2.5, base, 0.95, margin=0.0, worse="higher")
    assert found.estimate == pytest.approx(2.5, abs=1e-9)
    assert found.low < 2.5 < found.high
    assert found.p_value < 1e-10


def test_hodges_lehmann_p_value_is_the_shifted_one_sided_mann_whitney():
    rng = np.random.default_rng(6)
    x, y = rng.normal(0.3, 1.0, 150), rng.normal(0.0, 1.0, 160)
    found = hodges_lehmann(x, y, 0.95, margin=0.1, worse="higher")
    expected = stats.mannwhitneyu(x - 0.1, y, alternative="greater").pvalue
    assert found.p_value == pytest.approx(expected)


def test_rate_ratio_matches_scipy_exact_binomial():
    found = rate_ratio((80, 40), (40_000, 40_000), 0.95, margin=0.2)
    ci = stats.binomtest(80, 120).proportion_ci(0.95, method="exact")
    assert found.estimate == pytest.approx(2.0)
    assert found.low == pytest.approx(ci.low / (1 - ci.low))
    assert found.high == pytest.approx(ci.high / (1 - ci.high))
    expected = stats.binomtest(80, 120, p=1.2 / 2.2, alternative="greater").pvalue
    assert found.p_value == pytest.approx(expected)
    assert round(found.low, 2) == 1.35 and round(found.high, 2) == 3.0


def test_rate_ratio_without_any_event_is_no_evidence():
    found = rate_ratio((0, 0), (500, 500), 0.95, margin=0.2)
    assert (found.estimate, found.low, found.p_value) == (1.0, 0.0, 1.0)
    assert math.isinf(found.high)


def test_rate_ratio_with_no_baseline_event_has_an_open_upper_bound():
    found = rate_ratio((12, 0), (1_000, 1_000), 0.95, margin=0.2)
    assert math.isinf(found.estimate) and math.isinf(found.high)
    assert found.low > 1.2
