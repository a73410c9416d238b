"""Anomaly likelihood: how unusual the recent raw scores are against their own history.

This is the idea behind Numenta HTM's post-processing: a raw surprise signal is noisy and its
level differs between series, so we ask instead "is the short-term average of the surprise far in
the tail of the surprise's own long-term distribution?". The tail probability is put on a log
scale so 0.5 means 1e-5 and 1.0 means 1e-10. Causal: the long-term statistics use past raw
scores only, the short-term mean includes t.
"""

from __future__ import annotations

import numpy as np
from scipy.special import log_ndtr

from vigil.detection.causal import trailing_mean

LOG_FLOOR = np.log(1e-10)


def past_mean_std(r: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, std and count of the non-NaN values in ``r[t-width:t]``, via cumulative sums."""
    valid = ~np.isnan(r)
    clean = np.where(valid, r, 0.0)
    c0 = np.concatenate([[0], np.cumsum(valid)])
    c1 = np.concatenate([[0.0], np.cumsum(clean)])
    c2 = np.concatenate([[0.0], np.cumsum(clean * clean)])
    end = np.arange(len(r))
    start = np.maximum(end - width, 0)
    count = (c0[end] - c0[start]).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (c1[end] - c1[start]) / count
        var = (c2[end] - c2[start]) / count - mean * mean
    return mean, np.sqrt(np.maximum(var, 0.0)), count


def log_likelihood_score(
    raw: np.ndarray, *, short: int, long: int, warmup: int, min_std: float = 1e-3
) -> np.ndarray:
    """Map a non-negative raw surprise to [0, 1]: 1 - P(recent mean this high), log-scaled.

    NaN raw values mean "signal not defined yet"; the score stays 0 until ``warmup`` defined past
    values exist, so a signal that switches on does not look like an anomaly.
    """
    if len(raw) == 0:
        return np.empty(0)
    recent = trailing_mean(np.nan_to_num(raw, nan=0.0), short)
    mean, std, count = past_mean_std(raw, long)
    std = np.fmax(np.nan_to_num(std, nan=min_std), min_std)
    z = (recent - np.nan_to_num(mean, nan=0.0)) / std
    score = np.clip(np.nan_to_num(log_ndtr(-z) / LOG_FLOOR, nan=0.0), 0.0, 1.0)
    score[(count < warmup) | np.isnan(raw)] = 0.0
    return score
