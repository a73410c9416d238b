"""New-onset rows, per-regression lead times and the two rule baselines, on hand-made truth."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from vigil.risk.baselines import persistence_score, recent_deploy_score
from vigil.risk.onsets import (
    active_rows,
    lead_summary,
    new_onset_rows,
    paired_difference,
    ranking_metrics,
    regression_leads,
    upcoming_rows,
)

D = dt.date(2026, 2, 1)


def _day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def _truth(rows: list[tuple[str, str, int | None, int, int]]) -> pl.DataFrame:
    """(regression_id, feature_id, early onset day or None, onset day, end day)."""
    return pl.DataFrame(
        {
            "regression_id": [r[0] for r in rows],
            "feature_id": [r[1] for r in rows],
            "early_onset_date": [None if r[2] is None else _day(r[2]) for r in rows],
            "onset_date": [_day(r[3]) for r in rows],
            "end_date": [_day(r[4]) for r in rows],
        },
        schema={
            "regression_id": pl.Utf8,
            "feature_id": pl.Utf8,
            "early_onset_date": pl.Date,
            "onset_date": pl.Date,
            "end_date": pl.Date,
        },
    )


def _grid(features: list[str], days: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "feature_id": [f for f in features for _ in range(days)],
            "score_date": [_day(n) for _ in features for n in range(days)],
        }
    )


def test_new_onset_rows_exclude_every_day_a_regression_is_active() -> None:
    truth = _truth(
        [
            ("r1", "a", None, 5, 8),  # active on days 5..8 (onset, no creep)
            ("r2", "a", 12, 15, 16),  # active on 12..16: the creep counts from its early onset
            ("r3", "b", 2, 4, 4),  # active on 2..4
        ]
    )
    grid = _grid(["a", "b", "c"], 20)
    active = grid.with_columns(active_rows(grid, truth))
    days = {
        f: sorted(
            d.day - 1
            for d in active.filter((pl.col("feature_id") == f) & pl.col("active"))["score_date"]
        )
        for f in ("a", "b", "c")
    }
    assert days == {"a": [5, 6, 7, 8, 12, 13, 14, 15, 16], "b": [2, 3, 4], "c": []}
    fresh = new_onset_rows(grid, truth)
    assert fresh.height == 60 - 12
    assert fresh.columns == ["feature_id", "score_date"]
    # order and row identity are kept, including duplicates of a (feature, day)
    doubled = pl.concat([grid.head(6), grid.head(6)])
    assert active_rows(doubled, truth).to_list() == [False] * 5 + [True] + [False] * 5 + [True]


def test_regression_leads_first_flag_from_lookback_to_end() -> None:
    truth = _truth(
        [
            ("r1", "a", None, 10, 14),  # flagged day 7: lead 3
            ("r2", "b", 8, 11, 13),  # creep from day 8; flagged day 2 (too early) and day 5: lead 6
            ("r3", "c", None, 9, 12),  # flagged only after its end: missed
            ("r4", "a", None, 2, 4),  # its look-back starts before the scored period: not counted
            ("r5", "d", None, 18, 25),  # onset after the scored period: not counted
            ("r6", "e", None, 12, 15),  # flag on day 10 falls inside r7's span: belongs to r7
            ("r7", "e", 8, 9, 10),
        ]
    )
    flagged = {("a", 7), ("b", 2), ("b", 5), ("c", 13), ("e", 10), ("a", 3)}
    grid = _grid(["a", "b", "c", "d", "e"], 16)
    flags = grid.with_columns(
        pl.Series(
            "flagged",
            [(f, d.day - 1) in flagged for f, d in grid.iter_rows()],
        )
    )
    leads = regression_leads(flags, truth, lookback=3)
    got = dict(zip(leads["regression_id"], leads["lead_days"], strict=True))
    assert got == {"r1": 3, "r2": 6, "r3": None, "r6": None, "r7": -1}
    summary = lead_summary(leads, n_boot=50)
    assert summary["median"] == 3.0
    assert summary["n_regressions"] == 5
    assert summary["n_detected"] == 3
    assert summary["n_before_onset"] == 2
    assert summary["ci90"][0] <= summary["median"] <= summary["ci90"][1]


def test_lead_summary_without_detections() -> None:
    leads = pl.DataFrame(
        {"regression_id": ["r1"], "lead_days": [None]},
        schema={"regression_id": pl.Utf8, "lead_days": pl.Int64},
    )
    assert lead_summary(leads) == {
        "median": None,
        "ci90": None,
        "n_regressions": 1,
        "n_detected": 0,
        "n_before_onset": 0,
    }


def test_ranking_metrics_point_values_and_block_interval() -> None:
    rng = np.random.default_rng(3)
    y = rng.random(400) < 0.2
    score = y + rng.normal(0, 1, 400)
    blocks = np.repeat(np.arange(40), 10)
    got = ranking_metrics(y, score, blocks, n_boot=100)
    assert got["rows"] == 400 and got["positives"] == int(y.sum())
    assert got["pr_auc"]["value"] == pytest.approx(average_precision_score(y, score))
    assert got["roc_auc"]["value"] == pytest.approx(roc_auc_score(y, score))
    lo, hi = got["roc_auc"]["ci90"]
    assert lo < got["roc_auc"]["value"] < hi
    single = ranking_metrics(np.zeros(5), np.arange(5.0), np.arange(5))
    assert single["pr_auc"] == {"value": None, "ci90": None}


def test_rule_baselines_on_hand_made_rows() -> None:
    frame = pl.DataFrame(
        {
            "p95_3d_ratio": [1.10, 0.95, None, None],
            "crash_3d_ratio": [1.50, 1.02, None, None],
            "error_3d_ratio": [0.90, None, None, None],
            "feedback_3d_drop": [0.05, 0.20, None, None],
            "deploy_risk_max_7d": [0.7, None, 0.2, None],
        }
    )
    assert persistence_score(frame).tolist() == pytest.approx([0.5, 0.2, 0.0, 0.0])
    assert recent_deploy_score(frame).tolist() == [0.7, 0.0, 0.2, 0.0]


def test_paired_difference_of_two_scores_on_the_same_rows() -> None:
    rng = np.random.default_rng(5)
    y = rng.random(600) < 0.15
    good, weak = y + rng.normal(0, 0.7, 600), y + rng.normal(0, 3.0, 600)
    blocks = np.repeat(np.arange(60), 10)
    diff = paired_difference(y, good, weak, blocks, n_boot=100)
    expected = average_precision_score(y, good) - average_precision_score(y, weak)
    assert diff["pr_auc"]["value"] == pytest.approx(expected)
    lo, hi = diff["pr_auc"]["ci90"]
    assert 0 < lo < diff["pr_auc"]["value"] < hi  # clearly better, and the interval says so
    same = paired_difference(y, good, good, blocks, n_boot=20)
    assert same["roc_auc"] == {"value": 0.0, "ci90": [0.0, 0.0]}


def test_upcoming_rows_see_a_start_within_the_horizon() -> None:
    truth = _truth([("r1", "a", None, 5, 8), ("r2", "b", 3, 6, 9)])
    grid = _grid(["a", "b"], 8)
    up = grid.with_columns(upcoming_rows(grid, truth, horizon=2)).filter("upcoming")
    got = [(f, d.day - 1) for f, d in up.select("feature_id", "score_date").iter_rows()]
    assert got == [("a", 3), ("a", 4), ("b", 1), ("b", 2)]  # starts on day 5 (a) and day 3 (b)


def test_summarise_scores_both_targets_on_the_same_new_onset_rows() -> None:
    from vigil.risk.headline import SCORERS, summarise, with_onset_flag

    # F1 regresses from day 5 to 8: rows 0..4 and 9 are new onsets, 2..4 see it coming (horizon 3)
    truth = _truth([("R1", "F1", None, 5, 8)])
    rows = _grid(["F1"], 10)
    labelled = [False, True, False, True, True, True, True, True, True, True]
    test = with_onset_flag(rows, truth, 3).with_columns(
        degrading=pl.Series(labelled),
        model=pl.Series([0.1, 0.2, 0.7, 0.8, 0.9, 0.5, 0.5, 0.5, 0.5, 0.3]),
        persistence=pl.Series([0.0] * 10),
        recent_deploy=pl.Series([0.9, 0.9, 0.1, 0.1, 0.1, 0.0, 0.0, 0.0, 0.0, 0.9]),
    )
    assert test["new_onset"].to_list() == [True] * 5 + [False] * 4 + [True]
    assert test["upcoming"].to_list() == [False, False, True, True, True] + [False] * 5
    leads = pl.DataFrame(
        {"regression_id": ["R1"] * 3, "lead_days": [1, 0, None], "scorer": list(SCORERS)}
    )
    report = summarise(test, leads)
    fresh = test.filter("new_onset")
    assert report["rows"] == {
        "test": 10,
        "new_onset": 6,
        "new_onset_positives": 4,
        "new_onset_upcoming": 3,
        "regressions": 1,
    }
    # truth target: the model ranks the three upcoming rows first, the deployment rule last
    truth_model = report["new_onset_truth"]["model"]
    assert truth_model["pr_auc"]["value"] == pytest.approx(1.0)
    assert truth_model["roc_auc"]["value"] == pytest.approx(1.0)
    assert report["new_onset_truth"]["recent_deploy"]["roc_auc"]["value"] == pytest.approx(0.0)
    assert report["base_rate_new_onset_truth"] == pytest.approx(0.5)
    # the telemetry label on the same rows is reported beside it, with its own base rate
    y = fresh["degrading"].cast(pl.Int8).to_numpy()
    expected = average_precision_score(y, fresh["model"].to_numpy())
    assert report["new_onset"]["model"]["pr_auc"]["value"] == pytest.approx(expected)
    assert report["base_rate_new_onset"] == pytest.approx(4 / 6)
    diff = report["model_minus_baseline_new_onset_truth"]["recent_deploy"]["roc_auc"]["value"]
    assert diff == pytest.approx(1.0)
    assert set(report["model_minus_baseline_new_onset_truth"]) == {"persistence", "recent_deploy"}
