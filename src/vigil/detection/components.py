"""The generic detector's components: complementary causal surprise signals, one job each.

Every function maps a series to a non-negative raw surprise per row that uses rows <= t only:

- level: robust z-score of the value against the median of a long past window (spikes, shifts);
- season: the same on the seasonal difference of the series less its trailing one-period
  median (periodic series; a level shift does not echo one period later);
- novelty: how far the value leaves the range seen so far, as a share of that range;
- context: 1 where the last few values, binned, form a pattern never seen before (CAD OSE's idea);
- discord: distance from the last few values to their nearest neighbour among earlier
  subsequences within a look-back (a causal, windowed matrix-profile discord, as in KNN CAD).

series.py turns each into a score in [0, 1] and combines them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from vigil.detection.causal import expanding_range, lag, past_median_iqr_scale

COMPONENTS = ("level", "season", "novelty", "context", "discord")
SEASON_MIN_ROWS = 25


def robust_surprise(x: np.ndarray, width: int, cap: float) -> np.ndarray:
    """|x - past median| / past robust scale, capped, NaN-free (0 where no past exists)."""
    median, scale = past_median_iqr_scale(x, width)
    z = np.abs(x - median) / scale
    return np.clip(np.nan_to_num(z, nan=0.0, posinf=cap), 0.0, cap)


def season_surprise(x: np.ndarray, period: int | None, width: int, cap: float) -> np.ndarray:
    """Robust surprise of the seasonal difference of the de-levelled series; NaN (undefined)
    until three seasons exist, and everywhere when the series has no period.

    The series is first taken relative to its trailing one-period median (rows <= t), then
    differenced one period back: ``(x[t] - m[t]) - (x[t-p] - m[t-p])``. Without the level term, a
    level shift would echo as a second "anomaly" one period after it.
    """
    out = np.full(len(x), np.nan)
    if period is None or period <= 1:
        return out
    level = pd.Series(x).rolling(period, min_periods=1).median().to_numpy()
    detrended = x - level
    diff = np.nan_to_num(detrended - lag(detrended, period), nan=0.0)
    out = robust_surprise(diff, width, cap)
    out[: max(3 * period, SEASON_MIN_ROWS)] = np.nan
    return out


def novelty_surprise(x: np.ndarray, cap: float) -> np.ndarray:
    """How far x leaves the range of all earlier values, in units of that range."""
    lo, hi = expanding_range(x)
    span = np.fmax(hi - lo, 1e-3 * (np.abs(hi) + 1e-3))
    beyond = np.fmax(x - hi, lo - x) / span
    return np.clip(np.nan_to_num(beyond, nan=0.0), 0.0, cap)


def context_novelty(x: np.ndarray, bins: int, order: int) -> np.ndarray:
    """1 where the last ``order`` values, binned on the range seen so far, form a pattern never
    seen before, else 0. NaN for the first ``bins ** order`` rows, while almost every pattern is
    new."""
    lo, hi = np.fmin.accumulate(x), np.fmax.accumulate(x)
    span = np.fmax(hi - lo, 1e-12)
    binned = np.clip(((x - lo) / span * bins).astype(int), 0, bins - 1)
    out = np.zeros(len(x))
    out[: bins**order] = np.nan  # undefined until there has been room to see most patterns
    seen: set[tuple[int, ...]] = set()
    # A loop by nature: "seen before" is state built up one row at a time.
    for t in range(order - 1, len(x)):
        key = tuple(binned[t - order + 1 : t + 1].tolist())
        if key not in seen:
            out[t] = 1.0
            seen.add(key)
    return out


def discord_distances(
    x: np.ndarray, lengths: Sequence[int], lookback: int
) -> dict[int, np.ndarray]:
    """For each subsequence length m: the root-mean-square distance from ``x[t-m+1 : t+1]`` to
    the closest earlier subsequence of the same length starting at least m and at most
    ``lookback`` rows before it (the left matrix profile, limited to a look-back).

    Computed lag by lag: the squared distance at lag k is a trailing sum of ``(x - x[t-k])**2``,
    shared by every length, so the cost is O(n * lookback) with no n-by-n matrix. NaN until a
    neighbour exists.
    """
    n = len(x)
    best = {m: np.full(n, np.inf) for m in lengths}
    csum, sq, window = np.zeros(n + 1), np.empty(n), np.empty(n)
    for k in range(min(lengths), min(lookback, n - 1) + 1):
        # csum[i] = sum of (x[j + k] - x[j])**2 for j < i: row j + k's term.
        rows = n - k
        np.subtract(x[k:], x[:-k], out=sq[:rows])
        np.square(sq[:rows], out=sq[:rows])
        np.cumsum(sq[:rows], out=csum[1 : rows + 1])
        for m in lengths:
            if k < m or m > rows:
                continue
            width = rows + 1 - m  # rows k + m - 1 ... n - 1
            np.subtract(csum[m : rows + 1], csum[:width], out=window[:width])
            tail = best[m][k + m - 1 :]
            np.minimum(tail, window[:width], out=tail)
    out = {}
    for m, dist in best.items():
        rms = np.sqrt(np.fmax(dist, 0.0) / m)
        rms[~np.isfinite(rms)] = np.nan
        out[m] = rms
    return out


def log_discords(x: np.ndarray, lengths: Sequence[int], lookback: int) -> dict[int, np.ndarray]:
    """Discord distances on a log scale (scale-free once compared with their own history)."""
    level = np.cumsum(np.abs(x)) / np.arange(1, len(x) + 1)  # causal: mean |x| up to t
    floor = 1e-3 * level + 1e-9
    return {m: np.log(d + floor) for m, d in discord_distances(x, lengths, lookback).items()}
