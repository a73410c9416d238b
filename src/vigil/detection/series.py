"""The generic causal detector for any time series (`vigil detect`, the NAB benchmark).

Score at row t uses rows <= t only. Four families of surprise are computed, each turned into an
anomaly likelihood over its own history (see likelihood.py) and combined by their maximum:

- level: robust z-score of the value against past medians at a short and a long scale
  (spikes and level shifts);
- season: the same on the seasonal difference ``x[t] - x[t - period]`` when the sampling allows a
  daily (sub-daily data) or weekly (daily data) period;
- novelty: how far the value leaves the range seen so far;
- context: whether the last few values, binned, form a pattern never seen before.

Repeat suppression then reports only the start of each episode above the threshold (and no two
starts closer than ``suppress_rows`` rows), capping the rest just under the threshold, so one
incident is reported once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from vigil.detection.causal import expanding_range, lag, past_median_scale
from vigil.detection.likelihood import log_likelihood_score
from vigil.detection.settings import SeriesSettings

log = logging.getLogger(__name__)

SUPPRESSED_SHARE = 0.99
DAY_SECONDS = 86_400.0
PERIOD_GAPS = 24


def infer_period(timestamps: Sequence[np.datetime64] | np.ndarray | None) -> int | None:
    """Rows per season from the first ``PERIOD_GAPS`` gaps only (so it never changes as rows
    arrive): a day for sub-daily sampling, a week for daily sampling, else None."""
    if timestamps is None or len(timestamps) < PERIOD_GAPS + 1:
        return None
    ts = np.asarray(timestamps[: PERIOD_GAPS + 1], dtype="datetime64[s]").astype(np.int64)
    steps = np.diff(ts)
    steps = steps[steps > 0]
    if len(steps) == 0:
        return None
    step = float(np.median(steps))
    if step < DAY_SECONDS and DAY_SECONDS % step == 0:
        return int(DAY_SECONDS // step)
    return 7 if step == DAY_SECONDS else None


def robust_surprise(x: np.ndarray, width: int, cap: float) -> np.ndarray:
    """|x - past median| / past robust scale, capped, NaN-free (0 where no past exists)."""
    median, scale = past_median_scale(x, width)
    z = np.abs(x - median) / scale
    return np.clip(np.nan_to_num(z, nan=0.0, posinf=cap), 0.0, cap)


def novelty_surprise(x: np.ndarray, cap: float) -> np.ndarray:
    """How far x leaves the range of all earlier values, in units of that range."""
    lo, hi = expanding_range(x)
    span = np.fmax(hi - lo, 1e-3 * (np.abs(hi) + 1e-3))
    beyond = np.fmax(x - hi, lo - x) / span
    return np.clip(np.nan_to_num(beyond, nan=0.0), 0.0, cap)


def context_novelty(x: np.ndarray, bins: int, order: int) -> np.ndarray:
    """1 where the last ``order`` values, binned on the range seen so far, form a pattern never
    seen before, else 0 (the idea behind NAB's CAD OSE detector: anomalies are new contexts).
    NaN for the first ``bins ** order`` rows, while almost every pattern is new."""
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


def raw_signals(x: np.ndarray, period: int | None, p: SeriesSettings) -> dict[str, np.ndarray]:
    """Every non-negative surprise signal, before the likelihood transform."""
    signals = {
        "level_short": robust_surprise(x, p.short_window, p.z_cap),
        "level_long": robust_surprise(x, p.long_window, p.z_cap),
        "novelty": novelty_surprise(x, p.z_cap),
        "context": context_novelty(x, p.context_bins, p.context_order),
    }
    # The seasonal signal is always present (zero until three seasons exist) so the set of
    # signals, and hence every score, does not depend on how many rows follow.
    season = np.full(len(x), np.nan)
    if period is not None and period > 1:
        diff = np.nan_to_num(x - lag(x, period), nan=0.0)
        season = robust_surprise(diff, p.long_window, p.z_cap)
        season[: max(3 * period, PERIOD_GAPS + 1)] = np.nan
    signals["season"] = season
    return signals


def combined_score(x: np.ndarray, period: int | None, p: SeriesSettings) -> np.ndarray:
    """Maximum over signals of the anomaly likelihood, before suppression, in [0, 1]."""
    n = len(x)
    if n == 0:
        return np.empty(0)
    scores = []
    for name, raw in raw_signals(x, period, p).items():
        if name == "novelty":
            # Novelty is already scale-free: leaving the known range by a share of it is news.
            novelty = np.clip(raw / p.novelty_scale, 0.0, 1.0)
            novelty[: p.novelty_warmup] = 0.0  # early on, every few points set a record
            scores.append(novelty)
        else:
            # log1p tames the heavy right tail of z-scores, so the likelihood's long-term
            # spread is not dominated by a few past outliers.
            short, long, warm = p.likelihood_short, p.likelihood_long, p.likelihood_warmup
            scores.append(log_likelihood_score(np.log1p(raw), short=short, long=long, warmup=warm))
    score = np.max(np.vstack(scores), axis=0)
    score[: min(n, p.min_samples)] = 0.0
    return score


def episode_starts(score: np.ndarray, threshold: float, gap: int) -> np.ndarray:
    """Repeat suppression: keep a score only where an episode starts, i.e. it crosses the
    threshold from below at least ``gap`` rows after the last reported start. Elsewhere the score
    is capped just under the threshold, so a lasting anomaly is reported once."""
    out = np.minimum(score, threshold * SUPPRESSED_SHARE)
    above = score >= threshold
    last = -gap - 1
    # A loop: whether a start is reported depends on the previous reported start.
    for t in np.flatnonzero(above):
        if (t == 0 or not above[t - 1]) and t - last > gap:
            out[t] = score[t]
            last = int(t)
    return out


def score_series(
    values: Sequence[float] | np.ndarray,
    timestamps: Sequence[np.datetime64] | np.ndarray | None = None,
    settings: SeriesSettings | None = None,
) -> np.ndarray:
    """Causal anomaly score in [0, 1] for each value (a NaN takes the last value seen before it)."""
    p = settings or SeriesSettings()
    x = _fill_forward(np.asarray(values, dtype=float))
    period = infer_period(timestamps) if p.seasonal else None
    log.debug("scoring %d points, period %s", len(x), period)
    raw = combined_score(x, period, p)
    return episode_starts(raw, p.threshold, p.suppress_rows)


def _fill_forward(x: np.ndarray) -> np.ndarray:
    """Replace NaN by the last seen value (causal), leading NaN by 0."""
    if len(x) == 0 or not np.isnan(x).any():
        return x
    idx = np.where(np.isnan(x), 0, np.arange(len(x)))
    np.maximum.accumulate(idx, out=idx)
    filled = x[idx]
    return np.nan_to_num(filled, nan=0.0)
