"""Top-k recall and lead time on hand-made cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from vigil.errors import MissingColumnsError
from vigil.risk.metrics import lead_times, read_truth, recall_at_k

D = dt.date(2026, 3, 1)


def _day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def test_recall_at_k_counts_positives_in_each_days_top_k() -> None:
    frame = pl.DataFrame(
        {
            "score_date": [_day(0)] * 3 + [_day(1)] * 3,
            "p": [0.9, 0.5, 0.1, 0.2, 0.8, 0.7],
            "y": [True, False, True, True, False, False],
        }
    )
    assert recall_at_k(frame, "p", "y", 1) == pytest.approx(1 / 3)
    assert recall_at_k(frame, "p", "y", 3) == 1.0
    assert recall_at_k(frame.with_columns(pl.lit(False).alias("y")), "p", "y", 1) is None


def test_lead_time_from_first_flag_in_window() -> None:
    days = [_day(n) for n in range(30)]
    flags = pl.DataFrame(
        {
            "feature_id": ["a"] * 30 + ["b"] * 30,
            "score_date": days * 2,
            # a: flagged 3 days before its onset (day 15) and also far too early (day 1)
            # b: flagged 2 days after its onset (day 20)
            "flagged": [n in (1, 12, 13) for n in range(30)] + [n == 22 for n in range(30)],
        }
    )
    truth = pl.DataFrame(
        {
            "feature_id": ["a", "b", "c", "a"],
            "onset_date": [_day(15), _day(20), _day(18), _day(3)],  # the last is out of range
        }
    )
    result = lead_times(flags, truth, lookback_days=7)
    assert result["regressions"] == 3
    assert result["detected"] == 2
    assert result["detected_before_onset"] == 1
    assert result["median_days"] == pytest.approx(0.5)


def test_truth_without_onset_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "regressions.csv"
    path.write_text("feature_id,kind\nf1,latency\n")
    with pytest.raises(MissingColumnsError, match="onset_date"):
        read_truth(path)
