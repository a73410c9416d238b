"""The headline evaluation runs on time-ordered slices, with thresholds from calibration only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from vigil.config import VigilConfig
from vigil.risk.baselines import persistence_score
from vigil.risk.dataset import LABEL, feature_days
from vigil.risk.metrics import read_truth
from vigil.risk.train import make_slices, onset_weights, train_feature_model

from .world import truth_csv


def test_new_onset_evaluation_uses_the_time_ordered_test_slice(
    world, cfg: VigilConfig, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    con, regs = world
    truth_path = tmp_path / "regressions.csv"
    truth_csv(regs, str(truth_path))
    result = train_feature_model(con, cfg, truth_path=truth_path, register=False)
    split, onsets = result.split, result.onsets
    assert onsets is not None
    gap = dt.timedelta(days=split.gap_days)
    assert split.gap_days == cfg.risk.horizon_days
    assert split.train_end + gap < split.calibration_start
    assert split.calibration_end + gap < split.test_start
    dates = onsets.test["score_date"]
    assert dates.min() == split.test_start and dates.max() == split.test_end
    # every scored test row is marked, and new-onset rows are exactly the rows with no active truth
    truth = read_truth(truth_path)
    active = sum(
        1
        for f, d in onsets.test.select("feature_id", "score_date").iter_rows()
        if any(
            r.feature_id == f and r.deploy_day + 1 <= (d - dt.date(2026, 1, 1)).days <= r.end_day
            for r in regs
        )
    )
    assert onsets.test.height - onsets.test["new_onset"].sum() == active
    assert truth.height == len(regs)
    # the lead-time flag threshold comes from the calibration slice, never the test slice
    slices = make_slices(feature_days(con, cfg.risk), split)
    share = float(slices.calibration[LABEL].mean())  # type: ignore[arg-type]
    expected = float(np.quantile(persistence_score(slices.calibration), 1 - share))
    assert onsets.thresholds["persistence"] == expected
    rows = result.metrics["onset_evaluation"]["rows"]
    assert rows["test"] == onsets.test.height == slices.test.height
    assert rows["new_onset"] == onsets.test.filter(pl.col("new_onset")).height


def test_onset_weights_come_from_inputs_at_t_not_the_label(cfg: VigilConfig) -> None:
    frame = pl.DataFrame(
        {
            "p95_3d_ratio": [1.10, 1.40, None],
            "crash_3d_ratio": [1.20, 1.00, None],
            "error_3d_ratio": [None, None, None],
            "feedback_3d_drop": [0.0, 0.0, None],
            LABEL: [True, False, None],
        }
    )
    assert cfg.risk.model.onset_weight == 2.0
    # elevated = the largest 3-day rise reaches the latency label threshold (1.25 -> 0.25)
    assert onset_weights(frame, cfg.risk).tolist() == [2.0, 1.0, 2.0]
    assert onset_weights(frame.drop(LABEL), cfg.risk).tolist() == [2.0, 1.0, 2.0]
