"""Time-ordered splits without leakage, training-only label thresholds, metrics by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from vigil.errors import ModelError
from vigil.patches.label import fit_label
from vigil.patches.settings import HighRiskLabel
from vigil.patches.split import mature, time_split

from .patch_world import START, make_cfg, releases

DAY0 = dt.date(2026, 1, 1)


def frame(offsets: list[int], mature_flags: list[bool] | None = None) -> pl.DataFrame:
    n = len(offsets)
    flags = mature_flags if mature_flags is not None else [True] * n
    return pl.DataFrame(
        {
            "firmware_version": [f"fw-{i}" for i in range(n)],
            "release_date": [DAY0 + dt.timedelta(days=o) for o in offsets],
            "outcome_mature": flags,
            "error_rate_per_10k": [float(i) if f else None for i, f in enumerate(flags)],
        }
    )


@settings(max_examples=50, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 90), min_size=8, max_size=60),
    share=st.floats(0.1, 0.5),
    gap=st.integers(0, 30),
    cal_share=st.floats(0.1, 0.5),
)
def test_no_train_or_calibration_label_is_observed_after_test_starts(
    offsets: list[int], share: float, gap: int, cal_share: float
) -> None:
    try:
        split = time_split(frame(offsets), share, gap, cal_share)
    except ModelError:
        return  # too few releases for this gap: refused, never leaked
    train_max, cal_min = split.train["release_date"].max(), split.calibration["release_date"].min()
    cal_max, test_min = split.calibration["release_date"].max(), split.test["release_date"].min()
    assert train_max < cal_min  # type: ignore[operator]
    assert train_max + dt.timedelta(days=gap) <= test_min  # type: ignore[operator]
    assert cal_max + dt.timedelta(days=gap) <= test_min  # type: ignore[operator]
    assert split.train.height + split.calibration.height + split.test.height <= len(offsets)


def test_default_gap_is_the_outcome_window(tmp_path: Path) -> None:
    # weekly releases, all mature: test = the newest 10 (days 210..273); with the 30-day
    # window only releases shipped by day 180 train or calibrate
    cfg = make_cfg(tmp_path)
    assert cfg.patches.gap_days == cfg.patches.outcome_window_days == 30
    rows = pl.DataFrame(releases(40)).with_columns(outcome_mature=pl.lit(True))
    split = time_split(rows, 0.25, cfg.patches.gap_days, 0.3)
    train_end = split.train["release_date"].max()
    cal_end = split.calibration["release_date"].max()
    test_start = split.test["release_date"].min()
    assert (split.train.height, split.calibration.height, split.test.height) == (18, 8, 10)
    assert test_start == START + dt.timedelta(days=210)
    assert cal_end + dt.timedelta(days=cfg.patches.outcome_window_days) <= test_start  # type: ignore[operator]
    assert train_end + dt.timedelta(days=cfg.patches.outcome_window_days) <= test_start  # type: ignore[operator]
    assert cal_end == START + dt.timedelta(days=175)


def test_gap_shorter_than_outcome_window_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(
        ValidationError,
        match=r"split_gap_days \(10\) must be at least "
        r"patches.outcome_window_days \(30\)",
    ):
        make_cfg(tmp_path, model={"split_gap_days": 10})
    assert make_cfg(tmp_path, model={"split_gap_days": 45}).patches.gap_days == 45
    assert make_cfg(tmp_path, outcome_window_days=14).patches.gap_days == 14


def test_ties_at_cutoffs_go_to_the_later_part() -> None:
    split = time_split(frame([0, 1, 2, 3, 3, 3, 5, 5, 9, 9, 9]), 0.2, 2, 0.5)
    assert split.test["release_date"].to_list() == [DAY0 + dt.timedelta(days=9)] * 3
    days = [(d - DAY0).days for d in split.calibration["release_date"]]
    assert days == [3, 3, 3, 5, 5]
    assert split.train.height == 3


def test_immature_releases_are_left_out() -> None:
    releases = mature(frame([0, 1, 2, 3, 4], [True, True, False, True, False]))
    assert releases["firmware_version"].to_list() == ["fw-0", "fw-1", "fw-3"]


def test_too_few_releases_is_model_error() -> None:
    with pytest.raises(ModelError, match="only 2 mature releases: too few to split in time"):
        time_split(frame([0, 1]), 0.5, 0, 0.3)


def test_percentile_threshold_uses_training_outcomes_only() -> None:
    train = pl.DataFrame({"error_rate_per_10k": [1.0, 2.0, 3.0, 4.0, 5.0]})
    percentile = fit_label(train, HighRiskLabel(mode="percentile", value=0.5))
    assert percentile.threshold_per_10k == 3.0
    assert fit_label(train, HighRiskLabel(mode="absolute", value=4.5)).threshold_per_10k == 4.5
    later = pl.DataFrame({"error_rate_per_10k": [2.9, 3.0, 9.0]})
    assert percentile.apply(later).tolist() == [0, 1, 1]

