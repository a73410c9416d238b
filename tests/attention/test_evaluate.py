"""Truth matching and precision@k on a hand-made truth."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from vigil.attention.evaluate import (
    block_bootstrap,
    item_is_right,
    precision_at_k,
    right_features,
    right_firmware,
)

D = dt.date(2026, 3, 10)


def day(offset: int) -> dt.date:
    return D + dt.timedelta(days=offset)


REGRESSIONS = pl.DataFrame(
    {
        "feature_id": ["F1", "F2", "F3", "F4", "F5"],
        "firmware_version": ["3.0.1", "3.0.2", "3.0.3", "3.0.4", "3.0.5"],
        "early_onset_date": [None, day(5), None, None, None],
        "onset_date": [day(-3), day(9), day(7), day(8), day(-20)],
        "end_date": [day(0), day(20), day(12), day(15), day(-1)],
    },
    schema_overrides={"early_onset_date": pl.Date},
)
"""F1 ends today (in progress), F2 creeps from day 5 (within 7), F3 starts on day 7 (within 7),
F4 starts on day 8 (too late), F5 ended yesterday (over)."""

RELEASES = pl.DataFrame(
    {
        "firmware_version": ["3.0.4", "3.0.8", "3.0.9"],
        "device_error_rate_per_10k": [100.0, 300.0, 120.0],
        "rma_rate": [0.001, 0.001, 0.005],
    }
)


def test_right_features_are_in_progress_or_start_within_the_horizon() -> None:
    assert right_features(REGRESSIONS, D, horizon=7) == {"F1", "F2", "F3"}
    assert right_features(REGRESSIONS, D, horizon=8) == {"F1", "F2", "F3", "F4"}
    assert right_features(REGRESSIONS, day(1), horizon=7) == {"F2", "F3", "F4"}


def test_right_firmware_is_defective_or_has_a_due_regression() -> None:
    assert right_firmware(REGRESSIONS, RELEASES, D) == {"3.0.1", "3.0.2", "3.0.3", "3.0.8", "3.0.9"}


def test_item_verdicts_by_kind() -> None:
    features, firmware = {"F1"}, {"3.0.8"}
    assert item_is_right("F1", features, firmware) is True
    assert item_is_right("F9", features, firmware) is False
    assert item_is_right("firmware:3.0.8", features, firmware) is True
    assert item_is_right("firmware:3.0.4", features, firmware) is False
    assert item_is_right("patch:gate", features, firmware) is None


def test_precision_at_k_on_a_hand_made_list() -> None:
    keys = ["F1", "F9", "patch:gate", "F2", "F3", "F4", "F5", "F8"]
    verdicts = [item_is_right(k, right_features(REGRESSIONS, D), set()) for k in keys]
    assert precision_at_k(verdicts, 1) == 1.0
    assert precision_at_k(verdicts, 2) == 0.5
    assert precision_at_k(verdicts, 5) == pytest.approx(3 / 5)  # F1 F9 F2 F3 F4: patch skipped
    assert precision_at_k(verdicts, 10) == pytest.approx(3 / 7)  # only 7 judged items
    assert precision_at_k([None], 5) is None
    assert precision_at_k([], 5) is None


def test_block_bootstrap_mean_and_interval() -> None:
    rows = [{"world": w, "day": day(i), "value": float(i % 2)} for w in (1, 2) for i in range(14)]
    rows.append({"world": 2, "day": day(30), "value": None})
    mean, (lo, hi) = block_bootstrap(pl.DataFrame(rows), reps=500)
    assert mean == pytest.approx(0.5)
    assert lo <= 0.5 <= hi
    assert lo > 0.3 and hi < 0.7
    constant = pl.DataFrame([{"world": 1, "day": day(i), "value": 0.25} for i in range(10)])
    assert block_bootstrap(constant) == (0.25, (0.25, 0.25))
