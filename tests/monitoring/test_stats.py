"""The statistics against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from vigil.monitoring import stats


def test_psi_by_hand() -> None:
    expected = (0.25 - 0.5) * math.log(0.25 / 0.5) + (0.75 - 0.5) * math.log(0.75 / 0.5)
    assert stats.psi(np.array([0.5, 0.5]), np.array([0.25, 0.75])) == pytest.approx(expected)
    assert expected == pytest.approx(0.27465, abs=1e-5)


def test_psi_floors_empty_bins_instead_of_dividing_by_zero() -> None:
    expected = (0.5 - 1.0) * math.log(0.5 / 1.0) + (0.5 - 1e-4) * math.log(0.5 / 1e-4)
    assert stats.psi(np.array([1.0, 0.0]), np.array([0.5, 0.5])) == pytest.approx(expected)


def test_psi_of_identical_shares_is_zero() -> None:
    assert stats.psi(np.array([0.2, 0.3, 0.5]), np.array([0.2, 0.3, 0.5])) == 0.0


def test_numeric_psi_uses_reference_quantile_bins() -> None:
    reference = np.arange(100, dtype=float)  # deciles cut at 9.9, 19.8, ...
    current = np.full(50, 5.0)  # everything in the first bin
    shares = [1.0] + [0.0] * 9
    expected = stats.psi(np.full(10, 0.1), np.array(shares))
    assert stats.numeric_psi(reference, current, bins=10) == pytest.approx(expected)


def test_holm_by_hand() -> None:
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> max(0.06, 0.04)=0.06
    adjusted = stats.adjust_p_values([0.01, 0.04, 0.03, 0.005], "holm")
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_holm_caps_at_one() -> None:
    assert stats.adjust_p_values([0.5, 0.6], "holm") == [1.0, 1.0]


def test_bonferroni_and_none() -> None:
    assert stats.adjust_p_values([0.01, 0.04, 0.03, 0.005], "bonferroni") == pytest.approx(
        [0.04, 0.16, 0.12, 0.02]
    )
    assert stats.adjust_p_values([0.01, 0.2], "none") == [0.01, 0.2]
    assert stats.adjust_p_values([], "holm") == []


@given(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=30))
def test_holm_is_between_raw_and_bonferroni_and_keeps_order(p: list[float]) -> None:
    holm = stats.adjust_p_values(p, "holm")
    bonferroni = stats.adjust_p_values(p, "bonferroni")
    for raw, h, b in zip(p, holm, bonferroni, strict=True):
        assert raw <= h + 1e-12
        assert h <= b + 1e-12
        assert h <= 1.0
    order = np.argsort(p, kind="stable")
    assert all(np.diff(np.asarray(holm)[order]) >= -1e-12)


def test_two_proportion_z_by_hand() -> None:
    z, p = stats.proportion_z_test(10, 100, 20, 100)
    pooled = 30 / 200
    se = math.sqrt(pooled * (1 - pooled) * (2 / 100))
    assert z == pytest.approx(0.1 / se)
    # the z-test squared is the uncorrected 2x2 chi-square test
    chi2 = chi2_contingency([[10, 90], [20, 80]], correction=False)
    assert z**2 == pytest.approx(chi2.statistic)
    assert p == pytest.approx(chi2.pvalue)


def test_z_test_with_no_variation_is_not_significant() -> None:
    assert stats.proportion_z_test(0, 50, 0, 60) == (0.0, 1.0)


def test_chi_square_copes_with_a_category_new_in_current() -> None:
    statistic, p = stats.chi_square_test(np.array([50, 50, 0]), np.array([40, 40, 20]))
    assert math.isfinite(statistic)
    assert p < 0.001


def test_wasserstein_is_in_reference_std_units() -> None:
    reference = np.array([0.0, 1.0] * 50)  # std 0.5
    assert stats.wasserstein_normed(reference, reference + 1.0) == pytest.approx(2.0)


def test_jensen_shannon_bounds() -> None:
    assert stats.jensen_shannon(np.array([0.5, 0.5]), np.array([0.5, 0.5])) == 0.0
    apart = stats.jensen_shannon(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    assert apart == pytest.approx(math.sqrt(math.log(2)))
