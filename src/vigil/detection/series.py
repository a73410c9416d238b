"""The generic causal detector for any time series (`vigil detect`, the NAB benchmark).

Score at row t uses rows <= t only. An ensemble of complementary causal components (see
components.py: level, season, novelty, context, discord) each yields a raw surprise; every one
except novelty is turned into an anomaly likelihood over its own history (likelihood.py: is the
recent surprise far in the tail of its past?), novelty is already scale-free. The ensemble score
is the maximum over the enabled components.

Repeat suppression then reports only the start of each episode above the threshold (and no two
starts closer than ``suppress_rows`` rows), capping the rest just under the threshold, so one
incident is reported once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from vigil.detection import components as comp
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


def raw_signal(name: str, x: np.ndarray, period: int | None, p: SeriesSettings) -> np.ndarray:
    """One component's non-negative raw surprise (NaN where not defined yet)."""
    if name == "level":
        return comp.robust_surprise(x, p.long_window, p.z_cap)
    if name == "season":
        return comp.season_surprise(x, period, p.long_window, p.z_cap)
    if name == "novelty":
        return comp.novelty_surprise(x, p.z_cap)
    if name == "context":
        return comp.context_novelty(x, p.context_bins, p.context_order)
    raise ValueError(f"unknown component {name!r}")


def likelihood(signal: np.ndarray, p: SeriesSettings) -> np.ndarray:
    """The anomaly likelihood of a signal against its own history, with the settings' windows."""
    short, long, warm = p.likelihood_short, p.likelihood_long, p.likelihood_warmup
    return log_likelihood_score(signal, short=short, long=long, warmup=warm)


def discord_score(x: np.ndarray, p: SeriesSettings) -> np.ndarray:
    """Discords at several subsequence lengths (a short blip, a longer odd shape), each as a
    likelihood of its log distance, combined by their maximum."""
    raw = comp.log_discords(x, p.discord_lengths, p.discord_lookback)
    return np.max(np.vstack([likelihood(r, p) for r in raw.values()]), axis=0)


def component_score(raw: np.ndarray, name: str, p: SeriesSettings) -> np.ndarray:
    """A component's raw surprise mapped to [0, 1] (not for discord, see discord_score)."""
    if name == "novelty":
        # Novelty is already scale-free: leaving the known range by a share of it is news.
        novelty = np.clip(raw / p.novelty_scale, 0.0, 1.0)
        novelty[: p.novelty_warmup] = 0.0  # early on, every few points set a record
        return novelty
    # log1p tames the heavy right tail of z-scores, so the likelihood's long-term spread is not
    # dominated by a few past outliers.
    return likelihood(np.log1p(raw), p)


def component_scores(
    x: np.ndarray, period: int | None, p: SeriesSettings, names: Iterable[str] | None = None
) -> dict[str, np.ndarray]:
    """Each named component's score in [0, 1] (default: the enabled components)."""
    chosen = p.components if names is None else tuple(names)
    return {
        name: discord_score(x, p)
        if name == "discord"
        else component_score(raw_signal(name, x, period, p), name, p)
        for name in chosen
    }


def ensemble(scores: Mapping[str, np.ndarray], p: SeriesSettings) -> np.ndarray:
    """Maximum over the enabled components, zero within the minimum-sample guard."""
    n = len(next(iter(scores.values()))) if scores else 0
    if n == 0:
        return np.empty(0)
    score = np.max(np.vstack([scores[name] for name in p.components]), axis=0)
    score[: min(n, p.min_samples)] = 0.0
    return score


def combined_score(x: np.ndarray, period: int | None, p: SeriesSettings) -> np.ndarray:
    """The ensemble score before suppression, in [0, 1]."""
    if len(x) == 0:
        return np.empty(0)
    return ensemble(component_scores(x, period, p), p)


def episode_start_rows(score: np.ndarray, threshold: float, gap: int) -> np.ndarray:
    """Rows where an episode starts: the score crosses the threshold from below at least
    ``gap`` rows after the last reported start."""
    above = score >= threshold
    crossing = above.copy()
    crossing[1:] &= ~above[:-1]
    starts: list[int] = []
    last = -gap - 1
    # A loop over crossings only: whether one is reported depends on the previous report.
    for t in np.flatnonzero(crossing).tolist():
        if t - last > gap:
            starts.append(t)
            last = t
    return np.array(starts, dtype=int)


def episode_starts(score: np.ndarray, threshold: float, gap: int) -> np.ndarray:
    """Repeat suppression: keep a score only where an episode starts (see
    :func:`episode_start_rows`). Elsewhere the score is capped just under the threshold, so a
    lasting anomaly is reported once."""
    out = np.minimum(score, threshold * SUPPRESSED_SHARE)
    rows = episode_start_rows(score, threshold, gap)
    out[rows] = score[rows]
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
