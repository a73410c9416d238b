"""Time-ordered train / calibration / test split on score date, with a gap of the label horizon.

Labels look ``horizon`` days ahead, so a training row dated t "sees" outcomes up to t + horizon.
Each slice therefore ends more than ``gap_days`` before the next one starts:
``max(train) + gap < min(calibration)`` and ``max(calibration) + gap < min(test)``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from vigil.errors import ModelError


@dataclass(frozen=True)
class TimeSplit:
    """Date boundaries (inclusive) of the three slices."""

    train_start: dt.date
    train_end: dt.date
    calibration_start: dt.date
    calibration_end: dt.date
    test_start: dt.date
    test_end: dt.date
    gap_days: int

    def slice_of(self, dates: pl.Expr) -> pl.Expr:
        """An expression naming each row's slice: train, calibration, test, or null (in a gap)."""
        return (
            pl.when(dates.is_between(self.train_start, self.train_end))
            .then(pl.lit("train"))
            .when(dates.is_between(self.calibration_start, self.calibration_end))
            .then(pl.lit("calibration"))
            .when(dates.is_between(self.test_start, self.test_end))
            .then(pl.lit("test"))
            .otherwise(None)
        )

    def as_dict(self) -> dict[str, str | int]:
        """JSON-ready boundaries for the metrics report."""
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in vars(self).items()}


def _before(dates: list[dt.date], cutoff: dt.date, gap_days: int) -> list[dt.date]:
    """Dates d with d + gap < cutoff."""
    return [d for d in dates if d + dt.timedelta(days=gap_days) < cutoff]


def time_split(
    dates: Iterable[dt.date], *, gap_days: int, test_share: float, calibration_share: float
) -> TimeSplit:
    """Split the distinct score dates into train / calibration / test, latest dates last."""
    days = sorted(set(dates))
    if not days:
        raise ModelError("no mature feature-days to train on (need more days of telemetry)")
    test = days[min(len(days) - 1, math.floor(len(days) * (1 - test_share))) :]
    pool = _before(days, test[0], gap_days)
    calibration = pool[math.floor(len(pool) * (1 - calibration_share)) :] if pool else []
    train = _before(pool, calibration[0], gap_days) if calibration else []
    if not train:
        raise ModelError(
            f"not enough history for a time-ordered split: {len(days)} mature score dates with "
            f"a {gap_days}-day gap leave no training dates (supply more days of telemetry "
            "or lower risk.horizon_days)"
        )
    return TimeSplit(
        train[0], train[-1], calibration[0], calibration[-1], test[0], test[-1], gap_days
    )
