"""The feature-series detector: spikes, level shifts and trends on each feature's daily metrics.

Each metric has a bad direction (latency, crashes and errors going up; feedback and usage going
down); evidence is signed so that positive means "worse". Everything is causal: the baseline for day
t is the median / robust scale of the ``baseline_days`` before t, with a day-of-week adjustment once
enough weeks exist. Evidence is expressed in units of its own nominal threshold (1.0 = as strong as
the settings ask) and mapped to a score by ``1 - 0.2 ** evidence``, so evidence 1 scores 0.8.
"""

from __future__ import annotations

import numpy as np

from vigil.detection.causal import lag, past_median_scale, trailing_mean
from vigil.detection.settings import FeatureSettings

# metric -> +1 when a rise is bad, -1 when a fall is bad
METRIC_DIRECTION: dict[str, int] = {
    "latency_p95_ms": 1,
    "crash_rate": 1,
    "error_rate": 1,
    "feedback_mean": -1,
    "usage_count": -1,
}
COMBINED_METRIC = "latency_p95_ms+feedback_mean"
COMBINED_KIND = "latency_up_feedback_down"
KINDS = ("spike", "level_shift", "trend")
KIND_NAMES: dict[int, dict[str, str]] = {
    1: {"spike": "spike", "level_shift": "level_shift_up", "trend": "trend_up"},
    -1: {"spike": "drop", "level_shift": "level_shift_down", "trend": "trend_down"},
}
"""the reported kind names the direction of the change: a fall is a drop, never a spike"""
WEEK = 7


def evidence_score(evidence: np.ndarray) -> np.ndarray:
    """Map evidence (1.0 = nominal threshold) to [0, 1): 0 -> 0, 1 -> 0.8, large -> 1."""
    return 1.0 - np.power(0.2, np.clip(np.nan_to_num(evidence, nan=0.0), 0.0, 50.0))


def weekday_offset(x: np.ndarray, baseline_days: int) -> np.ndarray:
    """How much the same weekday in the past weeks sat above the past baseline (0 if too few)."""
    median, _ = past_median_scale(x, baseline_days)
    same_day = np.vstack([lag(x, WEEK * k) for k in range(1, baseline_days // WEEK + 1)])
    ref = np.vstack([lag(median, WEEK * k) for k in range(1, baseline_days // WEEK + 1)])
    with np.errstate(all="ignore"):
        offsets = same_day - ref
        enough = np.sum(~np.isnan(offsets), axis=0) >= 2
        offset = np.where(enough, np.nanmedian(np.where(enough, offsets, 0.0), axis=0), 0.0)
    return np.nan_to_num(offset, nan=0.0)


def signed_z(x: np.ndarray, direction: int, s: FeatureSettings, min_samples: int) -> np.ndarray:
    """Day t against the weekday-adjusted baseline of the days before it; positive = worse."""
    median, scale = past_median_scale(x, s.baseline_days)
    adjusted = x - weekday_offset(x, s.baseline_days) if s.weekly_seasonality else x
    z = direction * (adjusted - median) / scale
    past = np.concatenate([[0], np.cumsum(~np.isnan(x))[:-1]])
    z[past < min_samples] = np.nan
    return z


def cusum(z: np.ndarray, slack: float, cap: float) -> np.ndarray:
    """One-sided CUSUM of capped z-scores; NaN days leave the sum unchanged."""
    # A loop by nature: each day's sum depends on the previous one.
    out = np.zeros(len(z))
    total = 0.0
    for t, value in enumerate(z):
        if not np.isnan(value):
            total = max(0.0, total + min(value, cap) - slack)
        out[t] = total
    return out


def trend_rise(x: np.ndarray, direction: int, s: FeatureSettings) -> np.ndarray:
    """Rise over the last ``trend_days`` (OLS slope x window) in baseline scales, if monotone."""
    w = s.trend_days
    if len(x) < w:
        return np.zeros(len(x))
    windows = np.lib.stride_tricks.sliding_window_view(x, w)
    t = np.arange(w, dtype=float) - (w - 1) / 2.0
    with np.errstate(all="ignore"):
        centred = windows - np.nanmean(windows, axis=1, keepdims=True)
        slope = np.nansum(centred * t, axis=1) / np.sum(t * t)
        corr = np.nansum(centred * t, axis=1) / np.sqrt(
            np.nansum(centred**2, axis=1) * np.sum(t * t)
        )
    _, scale = past_median_scale(x, s.baseline_days)
    before = lag(scale, w - 1)[w - 1 :]
    rise = direction * slope * (w - 1) / before
    rise = np.where(direction * corr >= s.trend_min_corr, rise, 0.0)
    return np.nan_to_num(np.concatenate([np.zeros(w - 1), rise]), nan=0.0)


def metric_evidence(
    x: np.ndarray, direction: int, s: FeatureSettings, min_samples: int
) -> dict[str, np.ndarray]:
    """Evidence per kind for one metric's daily series (1.0 = the kind's nominal threshold),
    keyed by the kind's directional name (``spike`` / ``drop``, ``level_shift_up`` / ...)."""
    z = signed_z(x, direction, s, min_samples)
    guard = np.isnan(z)
    evidence = {
        "spike": np.nan_to_num(z, nan=0.0) / s.spike_z,
        "level_shift": cusum(z, s.cusum_slack, s.cusum_cap) / s.cusum_limit,
        "trend": trend_rise(x, direction, s) / s.trend_rise,
    }
    for values in evidence.values():
        values[guard] = 0.0
    names = KIND_NAMES[direction]
    return {names[kind]: values for kind, values in evidence.items()}


def combined_evidence(
    latency: np.ndarray, feedback: np.ndarray, s: FeatureSettings, min_samples: int
) -> np.ndarray:
    """'Latency rising while feedback falls': both recent signed z-scores above a modest bar."""
    lat = np.nan_to_num(signed_z(latency, 1, s, min_samples), nan=0.0)
    fb = np.nan_to_num(signed_z(feedback, -1, s, min_samples), nan=0.0)
    lat, fb = trailing_mean(lat, s.combined_days), trailing_mean(fb, s.combined_days)
    return np.minimum(lat, fb) / s.combined_z
