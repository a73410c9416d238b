"""Which releases train and test: mature outcomes only, ordered by release date, with a gap."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from vigil.errors import ModelError
from vigil.patches.settings import HighRiskLabel


@dataclass(frozen=True)
class Split:
    """Train and test releases; every train release_date is before every test release_date."""

    train: pl.DataFrame
    test: pl.DataFrame

    @property
    def train_window(self) -> tuple[dt.date, dt.date]:
        dates = self.train["release_date"]
        return dates.min(), dates.max()  # type: ignore[return-value]


def mature(patches: pl.DataFrame) -> pl.DataFrame:
    """Releases whose outcome window has closed (outcome known), oldest first."""
    return patches.filter(
        pl.col("outcome_mature") & pl.col("error_rate_per_10k").is_not_null()
    ).sort("release_date", "firmware_version")


def time_split(releases: pl.DataFrame, test_share: float, gap_days: int = 0) -> Split:
    """The newest ``test_share`` of releases test; train ends ``gap_days`` before them.

    Releases sharing the cut-off date all go to test, so train dates are strictly earlier.
    """
    releases = releases.sort("release_date", "firmware_version")
    n_test = max(1, round(releases.height * test_share))
    if releases.height - n_test < 2:
        raise ModelError(f"only {releases.height} mature releases: too few to split in time")
    cutoff = releases["release_date"][releases.height - n_test]
    train_end = cutoff - dt.timedelta(days=gap_days)
    train = releases.filter(pl.col("release_date") < train_end)
    test = releases.filter(pl.col("release_date") >= cutoff)
    if train.height < 2:
        raise ModelError("too few releases before the test period (lower split_gap_days)")
    return Split(train=train, test=test)


def high_risk_threshold(train_outcomes: pl.Series, rule: HighRiskLabel) -> float:
    """The error rate per 10k at or above which a release is high risk (from TRAINING only)."""
    if rule.mode == "absolute":
        return float(rule.value)
    if not 0.0 < rule.value < 1.0:
        raise ModelError("patches.high_risk.value must be a quantile in (0, 1) in percentile mode")
    return float(np.quantile(train_outcomes.to_numpy(), rule.value))


def labels(outcomes: pl.Series, threshold: float) -> np.ndarray:
    """1 for high risk (outcome >= threshold), else 0."""
    return (outcomes.to_numpy() >= threshold).astype(int)
