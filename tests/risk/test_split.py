"""Time-ordered split with a gap of the horizon; immature rows never reach training."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.errors import ModelError
from vigil.modelling.split import time_split
from vigil.risk.dataset import feature_days
from vigil.risk.train import make_slices

START = dt.date(2026, 1, 1)


@settings(deadline=None)
@given(
    n_days=st.integers(min_value=1, max_value=200),
    gap=st.integers(min_value=1, max_value=30),
    test_share=st.floats(min_value=0.05, max_value=0.6),
    calibration_share=st.floats(min_value=0.05, max_value=0.6),
)
def test_slices_are_ordered_with_a_gap_or_refused(
    n_days: int, gap: int, test_share: float, calibration_share: float
) -> None:
    dates = [START + dt.timedelta(days=i) for i in range(n_days)]
    try:
        split = time_split(
            dates, gap_days=gap, test_share=test_share, calibration_share=calibration_share
        )
    except ModelError as exc:
        assert "not enough history" in str(exc)
        return
    step = dt.timedelta(days=gap)
    assert split.train_start <= split.train_end
    assert split.train_end + step < split.calibration_start
    assert split.calibration_end + step < split.test_start
    assert split.test_end == dates[-1]


def test_no_dates_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="no mature feature-days"):
        time_split([], gap_days=7, test_share=0.25, calibration_share=0.2)


def test_real_slices_leak_nothing_and_drop_immature_rows(world, cfg) -> None:  # type: ignore[no-untyped-def]
    con, _ = world
    frame = feature_days(con, cfg.risk)
    mature = frame.filter(pl.col("degrading").is_not_null())
    split = time_split(
        mature["score_date"],
        gap_days=cfg.risk.horizon_days,
        test_share=cfg.risk.test_share,
        calibration_share=cfg.risk.calibration_share,
    )
    slices = make_slices(frame, split)
    gap = dt.timedelta(days=cfg.risk.horizon_days)
    assert slices.train["score_date"].max() + gap < slices.calibration["score_date"].min()
    assert slices.calibration["score_date"].max() + gap < slices.test["score_date"].min()
    for part in (slices.train, slices.calibration, slices.test):
        assert part["degrading"].null_count() == 0
    immature = frame.filter(pl.col("degrading").is_null())
    assert immature.height > 0
    assert immature["score_date"].min() > slices.test["score_date"].max()
    # immature rows are still scored for lead time, after the test start
    assert slices.horizon.height == frame.filter(pl.col("score_date") >= split.test_start).height
