"""Measure an attention list against the synthetic world's truth.

An item is *right* on day ``d`` when a real regression is in progress on it or starts within
``horizon`` days: for a feature, a regression of that feature with effective start (early onset,
else onset) <= d + horizon and end >= d. A firmware item (the fleet's) is right when that firmware
is defective (its hidden device error rate or RMA rate is at least ``bad_factor`` times the
world's base rate) or one of its own regressions is right by the feature rule. Pure functions:
the benchmark feeds them lists replayed day by day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

BASE_ERROR_RATE = 150.0
"""the generator's device error rate of an average firmware, per 10k device-days"""
BASE_RMA = 0.002
"""the generator's RMA rate of an average firmware"""


def _effective_start() -> pl.Expr:
    return pl.coalesce("early_onset_date", "onset_date")


def right_features(regressions: pl.DataFrame, day: dt.date, horizon: int = 7) -> set[str]:
    """Features with a regression in progress on ``day`` or starting within ``horizon`` days."""
    due = regressions.filter(
        (_effective_start() <= day + dt.timedelta(days=horizon)) & (pl.col("end_date") >= day)
    )
    return set(due["feature_id"].to_list())


def right_firmware(
    regressions: pl.DataFrame,
    releases: pl.DataFrame,
    day: dt.date,
    horizon: int = 7,
    bad_factor: float = 2.0,
) -> set[str]:
    """Firmware that is defective (truth/releases.csv) or has a right regression on ``day``."""
    bad = releases.filter(
        (pl.col("device_error_rate_per_10k") >= bad_factor * BASE_ERROR_RATE)
        | (pl.col("rma_rate") >= bad_factor * BASE_RMA)
    )
    due = regressions.filter(
        (_effective_start() <= day + dt.timedelta(days=horizon)) & (pl.col("end_date") >= day)
    )
    return set(bad["firmware_version"].to_list()) | set(due["firmware_version"].to_list())


def item_is_right(key: str, features: set[str], firmware: set[str]) -> bool | None:
    """Whether one item key is right; None for items the truth cannot judge (patch, data)."""
    if key.startswith("firmware:"):
        return key.removeprefix("firmware:") in firmware
    if ":" in key:
        return None
    return key in features


def precision_at_k(verdicts: Sequence[bool | None], k: int) -> float | None:
    """Share right among the first ``k`` judged items (fewer when the list is shorter); None when
    the list has no judged item. Items the truth cannot judge are skipped, not counted wrong."""
    judged = [v for v in verdicts if v is not None][:k]
    if not judged:
        return None
    return sum(judged) / len(judged)


def block_bootstrap(
    values: pl.DataFrame, *, block_days: int = 7, reps: int = 2000, seed: int = 0
) -> tuple[float, tuple[float, float]]:
    """Mean of ``value`` over (world, day) rows and a 90% interval from a moving-block bootstrap:
    each world's days are cut into blocks of ``block_days`` consecutive days (days next to each
    other share regressions), and as many blocks as there are are drawn with replacement from the
    pool of every world's blocks."""
    rows = values.drop_nulls("value").sort("world", "day")
    if rows.height == 0:
        return float("nan"), (float("nan"), float("nan"))
    blocks: list[np.ndarray] = []
    for _, part in rows.group_by("world", maintain_order=True):
        v = part["value"].to_numpy()
        blocks += [v[i : i + block_days] for i in range(0, v.size, block_days)]
    rng = np.random.default_rng(seed)
    sums = np.array([b.sum() for b in blocks])
    sizes = np.array([b.size for b in blocks])
    draws = rng.integers(0, len(blocks), size=(reps, len(blocks)))
    means = sums[draws].sum(axis=1) / sizes[draws].sum(axis=1)
    lo, hi = np.quantile(means, [0.05, 0.95])
    return float(rows["value"].mean()), (float(lo), float(hi))  # type: ignore[arg-type]
