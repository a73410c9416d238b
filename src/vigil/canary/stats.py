"""The canary's statistics: Hodges-Lehmann shift with its Mann-Whitney interval, and the exact
conditional binomial test of a rate ratio. Pure functions on numpy arrays (candidate first)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

BISECTION_STEPS = 64
DISTINCT_PAIRS = 20_000
"""below this many distinct value pairs the differences are tabulated exactly"""
RELATIVE_TOLERANCE = 1e-9
"""bisection stops when the bracket is this small against the range of the differences"""


@dataclass(frozen=True)
class Shift:
    """Hodges-Lehmann shift of candidate over baseline, its interval and a one-sided p-value."""

    estimate: float
    low: float
    high: float
    p_value: float
    """one-sided Mann-Whitney p of 'no worse than the tolerance' (small: worse beyond it)"""


@dataclass(frozen=True)
class RateRatio:
    """Candidate rate over baseline rate with its exact interval and a one-sided p-value."""

    candidate_rate: float
    baseline_rate: float
    estimate: float
    low: float
    high: float
    p_value: float
    """one-sided exact p of 'ratio at most 1 + tolerance' (small: worse beyond it)"""


def pairwise_quantiles(x: np.ndarray, y: np.ndarray, ks: list[int]) -> list[float]:
    """The k-th smallest (1-based) of the n x m differences x_i - y_j for each k, without
    forming them. Both arrays must be sorted.

    Few distinct values (counts, scores): the differences are tabulated exactly with their
    multiplicities. Otherwise bisection on the value: #(x_i - y_j <= d) is a sum of
    searchsorted counts, O(n log m) per step.
    """
    total = x.size * y.size
    bad = [k for k in ks if not 1 <= k <= total]
    if bad:
        raise ValueError(f"k={bad[0]} is outside 1..{total}")
    ux, cx = np.unique(x, return_counts=True)
    uy, cy = np.unique(y, return_counts=True)
    if ux.size * uy.size <= DISTINCT_PAIRS:
        values = np.subtract.outer(ux, uy).ravel()
        order = np.argsort(values)
        cumulative = np.cumsum(np.multiply.outer(cx, cy).ravel()[order])
        at = np.searchsorted(cumulative, ks, side="left")
        return [float(v) for v in values[order][at]]
    return [_bisect(x, y, k) for k in ks]


def pairwise_quantile(x: np.ndarray, y: np.ndarray, k: int) -> float:
    """One k-th smallest pairwise difference (see :func:`pairwise_quantiles`)."""
    return pairwise_quantiles(x, y, [k])[0]


def _bisect(x: np.ndarray, y: np.ndarray, k: int) -> float:
    lo, hi = float(x[0] - y[-1]), float(x[-1] - y[0])
    if _count_at_most(x, y, lo) >= k:
        return lo
    tolerance = RELATIVE_TOLERANCE * max(1.0, hi - lo)
    for _ in range(BISECTION_STEPS):  # invariant: count(lo) < k <= count(hi)
        mid = (lo + hi) / 2.0
        if hi - lo <= tolerance or mid in (lo, hi):
            break
        if _count_at_most(x, y, mid) >= k:
            hi = mid
        else:
            lo = mid
    return _snap(x, y, hi)


def _count_at_most(x: np.ndarray, y: np.ndarray, d: float) -> int:
    """#(x_i - y_j <= d) = #(y_j >= x_i - d)."""
    return int(y.size * x.size - np.searchsorted(y, x - d, side="left").sum())


def _snap(x: np.ndarray, y: np.ndarray, d: float) -> float:
    """The largest actual difference at or below ``d`` (removes the bisection's float dust)."""
    idx = np.searchsorted(y, x - d, side="left")
    ok = idx < y.size
    if not ok.any():
        return d
    return float(np.max(x[ok] - y[idx[ok]]))


def hodges_lehmann(
    candidate: np.ndarray, baseline: np.ndarray, confidence: float, margin: float, worse: str
) -> Shift:
    """Shift of ``candidate`` over ``baseline`` with its distribution-free interval (normal
    approximation to the Mann-Whitney ranks) and the one-sided test against ``margin``.

    ``worse`` is 'higher' (fails when the shift is above +margin) or 'lower' (below -margin).
    """
    x, y = np.sort(candidate.astype(float)), np.sort(baseline.astype(float))
    n, m = x.size, y.size
    total = n * m
    z = stats.norm.ppf(0.5 + confidence / 2.0)
    c = math.floor(total / 2.0 - z * math.sqrt(n * m * (n + m + 1) / 12.0))
    c = max(c, 1)
    middle = [(total + 1) // 2] if total % 2 else [total // 2, total // 2 + 1]
    low, high, *mid = pairwise_quantiles(x, y, [c, total + 1 - c, *middle])
    estimate = float(np.mean(mid))
    if worse == "higher":
        p = stats.mannwhitneyu(x - margin, y, alternative="greater").pvalue
    else:
        p = stats.mannwhitneyu(x + margin, y, alternative="less").pvalue
    return Shift(estimate, low, high, float(p))


@dataclass(frozen=True)
class MeanDifference:
    """Candidate mean minus baseline mean (Welch interval) and a one-sided Mann-Whitney p."""

    candidate_mean: float
    baseline_mean: float
    estimate: float
    low: float
    high: float
    p_value: float
    """one-sided Mann-Whitney p that the candidate's scores are worse (small: worse)"""


def score_difference(
    candidate: np.ndarray, baseline: np.ndarray, confidence: float, worse: str
) -> MeanDifference:
    """Mann-Whitney on scores (ties handled by the rank test) with the difference of means as the
    effect: on a 1-5 scale the Hodges-Lehmann shift moves in whole points, the mean does not."""
    x, y = candidate.astype(float), baseline.astype(float)
    diff = float(x.mean() - y.mean())
    se = math.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size)
    z = stats.norm.ppf(0.5 + confidence / 2.0)
    alternative = "greater" if worse == "higher" else "less"
    p = stats.mannwhitneyu(x, y, alternative=alternative).pvalue
    return MeanDifference(
        float(x.mean()), float(y.mean()), diff, diff - z * se, diff + z * se, float(p)
    )


def rate_ratio(
    events: tuple[int, int], exposure: tuple[int, int], confidence: float, margin: float
) -> RateRatio:
    """Exact conditional test of candidate rate / baseline rate (counts per exposure).

    Given the total count, the candidate's share is binomial with p = n1 r / (n1 r + n0) for a
    ratio r: the Clopper-Pearson interval of that share gives the ratio's interval, and the
    binomial test at r = 1 + margin the one-sided p. Exact for Poisson counts, and for rare
    Bernoulli events such as crashes, where a rank test sees mostly zeros.
    """
    (c1, c0), (n1, n0) = events, exposure
    r1, r0 = c1 / n1, c0 / n0
    if c1 + c0 == 0:
        return RateRatio(r1, r0, 1.0, 0.0, math.inf, 1.0)
    total, alpha = c1 + c0, (1.0 - confidence) / 2.0
    p = stats.binom.sf(c1 - 1, total, _share(1.0 + margin, n1, n0))  # P(X >= c1)
    low = 0.0 if c1 == 0 else stats.beta.ppf(alpha, c1, total - c1 + 1)  # Clopper-Pearson
    high = 1.0 if c0 == 0 else stats.beta.ppf(1.0 - alpha, c1 + 1, total - c1)
    estimate = math.inf if c0 == 0 else r1 / r0
    return RateRatio(
        r1, r0, estimate, _ratio(float(low), n1, n0), _ratio(float(high), n1, n0), float(p)
    )


def _share(ratio: float, n1: int, n0: int) -> float:
    return n1 * ratio / (n1 * ratio + n0)


def _ratio(share: float, n1: int, n0: int) -> float:
    return math.inf if share >= 1.0 else share * n0 / ((1.0 - share) * n1)
