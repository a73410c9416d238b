"""Causal rolling statistics: the value at index t uses ``x[:t]`` (strictly past) or ``x[:t+1]``.

Everything here is vectorised with numpy's ``sliding_window_view`` over an array padded with NaN
on the left, so a window that "ends before t" can never see index t or later. The tests check the
property directly: appending points never changes earlier outputs.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

FloatArray = np.ndarray

MAD_TO_SIGMA = 1.4826
IQR_TO_SIGMA = 1.349


def past_windows(x: FloatArray, width: int) -> FloatArray:
    """Row t holds ``x[t-width:t]`` (NaN where the series had not started); never ``x[t]``."""
    padded = np.concatenate([np.full(width, np.nan), x[:-1]]) if len(x) else np.full(width, np.nan)
    if len(x) == 0:
        return np.empty((0, width))
    return sliding_window_view(padded, width)


def past_median_scale(x: FloatArray, width: int) -> tuple[FloatArray, FloatArray]:
    """Median and robust scale (MAD as sigma, floored by a share of the std) of past windows."""
    windows = past_windows(x, width)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN first windows are expected
        median = np.nanmedian(windows, axis=1)
        mad = np.nanmedian(np.abs(windows - median[:, None]), axis=1) * MAD_TO_SIGMA
        std = np.nanstd(windows, axis=1)
    # A flat or quantised window has MAD 0; fall back on a share of its std, then on a floor
    # relative to the level, so one different value is surprising but not infinitely so.
    floor = 1e-3 * (np.abs(median) + 1e-3)
    scale = np.fmax(np.fmax(mad, 0.5 * std), floor)
    return median, scale


def expanding_range(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Minimum and maximum of ``x[:t]`` for each t (NaN at t=0)."""
    if len(x) == 0:
        return np.empty(0), np.empty(0)
    lo = np.concatenate([[np.nan], np.fmin.accumulate(x)[:-1]])
    hi = np.concatenate([[np.nan], np.fmax.accumulate(x)[:-1]])
    return lo, hi


def trailing_mean(x: FloatArray, width: int) -> FloatArray:
    """Mean of ``x[t-width+1:t+1]`` (includes t), over however many points exist."""
    csum = np.concatenate([[0.0], np.cumsum(x)])
    idx = np.arange(1, len(x) + 1)
    start = np.maximum(idx - width, 0)
    return (csum[idx] - csum[start]) / (idx - start)


def lag(x: FloatArray, k: int) -> FloatArray:
    """``x[t-k]`` (NaN before the series had k points)."""
    if k <= 0:
        return x.copy()
    out = np.full(len(x), np.nan)
    out[k:] = x[:-k]
    return out


def past_median_iqr_scale(x: FloatArray, width: int) -> tuple[FloatArray, FloatArray]:
    """Median and robust scale of ``x[t-width:t]`` via sorted rolling windows (O(n log width)).

    The scale is the interquartile range as sigma, floored by half the std and by a share of the
    level, like :func:`past_median_scale` but fast enough for long windows. NaN where no past.
    """
    if len(x) == 0:
        return np.empty(0), np.empty(0)
    past = pd.Series(x).shift(1).rolling(width, min_periods=1)
    median = past.median().to_numpy()
    iqr = (past.quantile(0.75) - past.quantile(0.25)).to_numpy() / IQR_TO_SIGMA
    std = past.std(ddof=0).to_numpy()
    floor = 1e-3 * (np.abs(median) + 1e-3)
    return median, np.fmax(np.fmax(iqr, 0.5 * std), floor)
