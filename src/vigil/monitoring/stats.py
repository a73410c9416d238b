"""The statistics behind drift verdicts: tests, distances, PSI and p-value corrections.

Pure functions on numpy arrays. scipy supplies the tests and distances; PSI, the two-proportion
z-test and the Holm correction are a few lines each and have no home in our dependencies
(statsmodels would), so they are written out here against their textbook definitions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats
from scipy.spatial import distance

# Evidently replaces empty bins by this share before taking logs; we do the same.
EMPTY_BIN_SHARE = 1e-4
# Evidently's floor on the reference std when normalising the Wasserstein distance.
MIN_STD = 1e-3

FloatArray = np.ndarray


def ks_test(reference: FloatArray, current: FloatArray) -> tuple[float, float]:
    """Two-sample Kolmogorov-Smirnov: (D statistic, p-value)."""
    result = stats.ks_2samp(reference, current)
    return float(result.statistic), float(result.pvalue)


def chi_square_test(ref_counts: FloatArray, cur_counts: FloatArray) -> tuple[float, float]:
    """Chi-square test of homogeneity on a 2 x K table: (statistic, p-value).

    Unlike a goodness-of-fit test against reference shares, this copes with categories that
    appear on one side only.
    """
    table = np.vstack([ref_counts, cur_counts])
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return 0.0, 1.0
    result = stats.chi2_contingency(table, correction=False)
    return float(result.statistic), float(result.pvalue)


def proportion_z_test(k_ref: int, n_ref: int, k_cur: int, n_cur: int) -> tuple[float, float]:
    """Two-sided two-proportion z-test with a pooled standard error: (z, p-value)."""
    if n_ref == 0 or n_cur == 0:
        return 0.0, 1.0
    pooled = (k_ref + k_cur) / (n_ref + n_cur)
    se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n_ref + 1.0 / n_cur))
    if se == 0.0:
        return 0.0, 1.0
    z = (k_cur / n_cur - k_ref / n_ref) / se
    return float(z), float(2.0 * stats.norm.sf(abs(z)))


def wasserstein_normed(reference: FloatArray, current: FloatArray) -> float:
    """Wasserstein (earth mover's) distance in units of the reference std."""
    norm = max(float(np.std(reference)), MIN_STD)
    return float(stats.wasserstein_distance(reference, current)) / norm


def jensen_shannon(ref_shares: FloatArray, cur_shares: FloatArray) -> float:
    """Jensen-Shannon distance (natural log, as Evidently) between two share vectors."""
    return float(distance.jensenshannon(ref_shares, cur_shares))


def psi(ref_shares: FloatArray, cur_shares: FloatArray) -> float:
    """Population stability index: sum((cur - ref) * ln(cur / ref)), empty bins floored."""
    ref = np.clip(np.asarray(ref_shares, dtype=float), EMPTY_BIN_SHARE, None)
    cur = np.clip(np.asarray(cur_shares, dtype=float), EMPTY_BIN_SHARE, None)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def quantile_cuts(reference: FloatArray, bins: int) -> FloatArray:
    """Interior cut points at the reference's quantiles (duplicates merged)."""
    probs = np.linspace(0.0, 1.0, bins + 1)[1:-1]
    return np.unique(np.quantile(reference, probs))


def binned_shares(values: FloatArray, cuts: FloatArray) -> FloatArray:
    """Share of values in each bin (-inf, c0), [c0, c1), ..., [c_last, inf)."""
    counts = np.bincount(np.digitize(values, cuts), minlength=len(cuts) + 1)
    return counts / max(len(values), 1)


def numeric_psi(reference: FloatArray, current: FloatArray, bins: int) -> float:
    """PSI over bins cut at the reference's quantiles."""
    cuts = quantile_cuts(reference, bins)
    return psi(binned_shares(reference, cuts), binned_shares(current, cuts))


def to_shares(counts: FloatArray) -> FloatArray:
    """Counts to shares (all zeros stay zeros)."""
    total = float(np.sum(counts))
    return np.asarray(counts, dtype=float) / total if total else np.zeros(len(counts))


def adjust_p_values(p_values: Sequence[float], method: str) -> list[float]:
    """Family-wise corrected p-values: 'holm' (step-down), 'bonferroni' or 'none'."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0 or method == "none":
        return [float(x) for x in p]
    if method == "bonferroni":
        return [float(x) for x in np.minimum(p * m, 1.0)]
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return [float(x) for x in adjusted]
