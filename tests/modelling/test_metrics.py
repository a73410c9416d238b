"""The shared metrics: by hand, and equal to scikit-learn's on random scores with ties."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, brier_score_loss, r2_score, roc_auc_score

from vigil.modelling.intervals import blocks_of, ci90, resamples
from vigil.modelling.metrics import at_threshold, regression, summary


def test_at_threshold_by_hand() -> None:
    y = np.array([0, 0, 1, 1])
    p = np.array([0.1, 0.4, 0.35, 0.8])
    m = at_threshold(y, p, threshold=0.5)
    assert m["roc_auc"] == pytest.approx(0.75)  # 3 of 4 (pos, neg) pairs ordered right
    assert m["pr_auc"] == pytest.approx(0.5 * 1.0 + 0.5 * 2 / 3)  # AP: P=1 at R=.5, P=2/3 at R=1
    assert m["accuracy"] == pytest.approx(0.75)
    assert m["recall"] == pytest.approx(0.5)
    assert m["precision"] == pytest.approx(1.0)
    assert (m["n"], m["n_high_risk"]) == (4, 2)


def test_one_class_has_no_auc() -> None:
    m = at_threshold(np.array([0, 0, 0]), np.array([0.2, 0.7, 0.1]), threshold=0.5)
    assert m["roc_auc"] is None and m["pr_auc"] is None
    assert m["precision"] == 0.0 and m["accuracy"] == pytest.approx(2 / 3)
    assert summary(np.array([1, 1]), np.array([0.2, 0.3]))["roc_auc"] is None


def test_regression_by_hand() -> None:
    m = regression(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    assert m["r2"] == pytest.approx(0.5)  # 1 - SS_res 1 / SS_tot 2
    assert m["mae"] == pytest.approx(1 / 3)


@pytest.mark.parametrize("seed", range(5))
def test_equal_to_scikit_learn_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 300)
    p = np.round(rng.random(300), 1)  # many ties
    m = summary(y, p)
    assert m["roc_auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert m["pr_auc"] == pytest.approx(average_precision_score(y, p), abs=1e-12)
    assert m["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    yhat = y + rng.normal(size=300)
    assert regression(y, yhat)["r2"] == pytest.approx(r2_score(y, yhat), abs=1e-12)


def test_resamples_stay_inside_their_group() -> None:
    groups = np.array([0, 0, 0, 1, 1, 2])
    blocks = blocks_of(groups)
    assert blocks == [slice(0, 3), slice(3, 5), slice(5, 6)]
    for draw in resamples(blocks, 20, seed=1):
        assert groups[draw].tolist() == groups.tolist()


def test_ci90_needs_half_the_draws() -> None:
    assert ci90([1.0, 2.0, 3.0], n_draws=10) is None
    assert ci90(list(np.arange(101.0))) == [5.0, 95.0]


def test_one_lookahead_rule_for_both_families() -> None:
    import datetime as dt

    from vigil.errors import ModelError
    from vigil.modelling.split import check_no_lookahead

    day = dt.date(2026, 3, 1)
    check_no_lookahead(day, day + dt.timedelta(days=30), 30)  # outcomes complete on test day
    with pytest.raises(ModelError, match="look-ahead: training ends 2026-03-01"):
        check_no_lookahead(day, day + dt.timedelta(days=29), 30)


def test_both_model_families_follow_the_contract() -> None:
    from vigil.modelling.contract import RiskModel
    from vigil.patches.model import PatchRiskModel
    from vigil.risk.model import FeatureRiskModel

    for family in (FeatureRiskModel, PatchRiskModel):
        for member in ("predict_proba", "contributions", "save"):
            assert callable(getattr(family, member)), (family, member)
    fitted = PatchRiskModel()
    fitted.features_ = ["a"]
    assert isinstance(fitted, RiskModel)


def test_first_flag_inside_each_window_gives_the_lead() -> None:
    import datetime as dt

    import polars as pl

    from vigil.modelling.leadtime import first_flags, summary

    d = dt.date(2026, 3, 10)
    windows = pl.DataFrame(
        {
            "feature_id": ["a", "b", "c"],
            "onset_date": [d, d, d],
            "window_start": [d - dt.timedelta(days=5)] * 3,
            "window_end": [d + dt.timedelta(days=5)] * 3,
        }
    )
    flags = pl.DataFrame(
        {
            "feature_id": ["a", "a", "b", "c"],
            "day": [d + dt.timedelta(days=n) for n in (-9, -2, 1, 6)],
        }
    )
    out = first_flags(windows, flags)
    assert out["lead_days"].to_list() == [2, -1, None]  # c's only flag is outside its window
    assert summary(out["lead_days"]) == {
        "cases": 3,
        "detected": 2,
        "detected_share": 2 / 3,
        "detected_before_onset": 1,
        "median_days": 0.5,
        "mean_days": 0.5,
    }
