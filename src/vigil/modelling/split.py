"""Time-ordered train / calibration / test splits with a gap of the outcome window.

A label looks ``gap`` days ahead (feature risk: the horizon; patch risk: the outcome window), so
a row dated t "sees" outcomes up to t + gap. No label the model learns from may be observed
after the first test day: ``last training date + gap <= first test date``. Both model families
split with :func:`time_split` (on score dates or release dates) and are checked by
:func:`check_no_lookahead`.
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


def check_no_lookahead(
    train_end: dt.date, test_start: dt.date, gap_days: int, *, what: str = "training"
) -> None:
    """ModelError when a label of the last ``what`` date is still open when the test starts."""
    if train_end + dt.timedelta(days=gap_days) > test_start:
        raise ModelError(
            f"look-ahead: {what} ends {train_end} and its {gap_days}-day outcomes reach the test "
            f"period starting {test_start}"
        )


def _before(dates: list[dt.date], cutoff: dt.date, gap_days: int) -> list[dt.date]:
    """Dates d with d + gap < cutoff."""
    return [d for d in dates if d + dt.timedelta(days=gap_days) < cutoff]


def time_split(
    dates: Iterable[dt.date], *, gap_days: int, test_share: float, calibration_share: float
) -> TimeSplit:
    """Split the distinct dates into train / calibration / test, latest dates last, with the
    gap between train and calibration and between calibration and test."""
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
    check_no_lookahead(calibration[-1], test[0], gap_days, what="calibration")
    return TimeSplit(
        train[0], train[-1], calibration[0], calibration[-1], test[0], test[-1], gap_days
    )
