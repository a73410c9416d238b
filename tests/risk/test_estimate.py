"""CBPE: performance estimated from calibrated scores matches the realised figures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from vigil.risk.estimate import (
    estimate,
    estimate_rows,
    expected_pr_auc,
    expected_roc_auc,
    load_estimate,
    performance_report,
    realised,
)


def _calibrated(n_days: int, per_day: int, seed: int) -> pl.DataFrame:
    """Scores that are calibrated by construction: each label is drawn with probability p."""
    rng = np.random.default_rng(seed)
    n = n_days * per_day
    p = rng.beta(0.6, 4.0, n)
    return pl.DataFrame(
        {
            "score_date": [dt.date(2026, 1, 1) + dt.timedelta(days=i // per_day) for i in range(n)],
            "p": p,
            "degrading": rng.random(n) < p,
        }
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_estimate_matches_realised_on_calibrated_scores(seed: int) -> None:
    frame = _calibrated(n_days=100, per_day=200, seed=seed)
    est = estimate(frame, act_now=0.6, k=20)
    real = realised(frame, "degrading", act_now=0.6, k=20)
    assert est["rows"] == real["rows"] == 20_000
    assert est["act_now_rows"] == real["act_now_rows"] > 100
    top_k_rows = 100 * 20
    for metric, rows in (
        ("precision_act_now", est["act_now_rows"]),
        ("precision_top_k", top_k_rows),
    ):
        within = 3 * np.sqrt(est[metric] * (1 - est[metric]) / rows)  # three standard errors
        assert abs(est[metric] - real[metric]) < within, metric
    for metric in ("pr_auc", "roc_auc"):
        assert est[metric] == pytest.approx(real[metric], abs=0.02), metric


def test_estimate_is_exact_for_certain_scores() -> None:
    p = np.array([1.0, 1.0, 0.0, 0.0, 0.0])
    assert expected_pr_auc(p) == 1.0
    assert expected_roc_auc(p) == 1.0
    assert expected_pr_auc(np.zeros(3)) is None
    assert expected_roc_auc(np.ones(3)) is None


def test_miscalibrated_scores_mislead_the_estimate() -> None:
    """The estimate trusts calibration: scores twice too high double the expected precision."""
    frame = _calibrated(n_days=50, per_day=100, seed=4)
    inflated = frame.with_columns((pl.col("p") * 2).clip(0, 1))
    real = realised(frame, "degrading", act_now=0.3, k=10)["precision_top_k"]
    assert estimate(inflated, act_now=0.3, k=10)["precision_top_k"] > 1.5 * real


def test_report_and_load_round_trip(tmp_path: Path) -> None:
    frame = _calibrated(n_days=10, per_day=20, seed=5)
    report = performance_report(
        frame.head(150), frame.tail(50).drop("degrading"), "degrading", 0.6, 5
    )
    assert report["last_realised"]["rows"] == 150
    assert report["current_estimate"]["rows"] == 50
    assert report["current_estimate"]["days"] == 3
    (tmp_path / "metrics.json").write_text(
        json.dumps({"feature_risk": {"performance_estimate": report}})
    )
    assert load_estimate(tmp_path) == json.loads(json.dumps(report))
    assert load_estimate(tmp_path / "missing") is None
    (tmp_path / "metrics.json").write_text("{not json")
    assert load_estimate(tmp_path) is None


def test_estimate_rows_put_realised_beside_estimates() -> None:
    frame = _calibrated(n_days=10, per_day=20, seed=6)
    report = performance_report(frame.head(100), frame.tail(100), "degrading", 0.6, 5)
    rows = estimate_rows(report)
    assert [r["metric"] for r in rows] == [
        "precision, act-now tier",
        "precision, daily top k",
        "PR-AUC",
        "ROC-AUC",
    ]
    realised_col = "realised (2026-01-01 .. 2026-01-05)"
    now_col = "estimated now (2026-01-06 .. 2026-01-10, unlabelled)"
    assert list(rows[2]) == ["metric", realised_col, "estimated, same period", now_col]
    assert rows[2][realised_col] == report["last_realised"]["pr_auc"]
    assert rows[2][now_col] == report["current_estimate"]["pr_auc"]
