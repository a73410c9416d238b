"""The deployment hazard: what it learns, from calm rows only, and how it is served."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from catboost import Pool

from vigil.errors import ModelError
from vigil.risk.hazard import INPUTS, RISK_BY_AGE, DeploymentHazard
from vigil.risk.model import HAZARD_FILE, FeatureRiskModel
from vigil.risk.settings import ModelSettings

AGES = np.array([age for _, age in RISK_BY_AGE])
FEATURES = ("noise", *INPUTS)


def _world(n: int, reach: float, decay: float, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Rows drawn from a known hazard: one deployment of a random age and risk, or none."""
    rng = np.random.default_rng(seed)
    X = np.full((n, len(FEATURES)), np.nan)
    X[:, 0] = rng.normal(size=n)
    has = rng.random(n) < 0.5
    age = rng.integers(0, len(AGES), n)
    risk = rng.uniform(0.2, 1.0, n)
    X[has, 1 + age[has]] = risk[has]
    X[:, 5] = rng.integers(0, 10, n)  # deploys_28d
    X[:, 6] = rng.normal(8, 1, n)  # users_7d_log
    base = 0.02
    p_deploy = np.where(has, risk * reach * np.exp(-AGES[age] / decay), 0.0)
    p = 1 - (1 - base) * (1 - p_deploy)
    return X, (rng.random(n) < p).astype(int)


def test_fit_recovers_reach_and_decay_of_a_known_world() -> None:
    X, y = _world(40_000, reach=0.6, decay=2.0)
    fitted = DeploymentHazard().fit(X, y, FEATURES).describe()
    assert fitted["reach"] == pytest.approx(0.6, abs=0.06)
    assert fitted["decay_days"] == pytest.approx(2.0, rel=0.25)
    assert fitted["base_intercept"] == pytest.approx(np.log(0.02 / 0.98), abs=0.5)


def test_risk_raises_and_age_lowers_the_hazard() -> None:
    X, y = _world(20_000, reach=0.6, decay=2.0)
    hazard = DeploymentHazard().fit(X, y, FEATURES)
    rows = np.tile(X[:1], (3, 1))
    rows[:, 1:5] = np.nan
    rows[0, 1] = 0.9  # today, risky
    rows[1, 1] = 0.3  # today, safe
    rows[2, 4] = 0.9  # 3-6 days ago, risky
    today_risky, today_safe, old_risky = hazard.predict(rows)
    assert today_risky > today_safe and today_risky > old_risky


def test_fit_refuses_one_outcome_and_missing_inputs() -> None:
    X, _ = _world(100, reach=0.5, decay=2.0)
    with pytest.raises(ModelError, match="both outcomes"):
        DeploymentHazard().fit(X, np.zeros(100), FEATURES)
    with pytest.raises(ModelError, match="needs the inputs"):
        DeploymentHazard().fit(X[:, :3], np.arange(100) % 2, FEATURES[:3])
    with pytest.raises(ModelError, match="not fitted"):
        DeploymentHazard().predict(X)


def _model(calm: np.ndarray | None, settings: ModelSettings | None = None) -> FeatureRiskModel:
    X, y = _world(4_000, reach=0.6, decay=2.0)
    return FeatureRiskModel(settings or ModelSettings(iterations=20)).fit(
        X[:3000], y[:3000], features=FEATURES, X_cal=X[3000:], y_cal=y[3000:], calm=calm
    )


def test_served_risk_joins_catboost_and_hazard_as_either_cause() -> None:
    X, _ = _world(500, reach=0.6, decay=2.0, seed=9)
    model = _model(np.ones(3000, dtype=bool))
    assert model.hazard_ is not None
    p_catboost = model.calibrator_.predict(model.decision(X), model._side(X))
    hazard = model.hazard(X)
    assert hazard is not None
    np.testing.assert_allclose(model.predict_proba(X), 1 - (1 - p_catboost) * (1 - hazard))


def test_hazard_learns_from_calm_rows_only() -> None:
    """Elevated rows (here: all labelled 1, no deployment) would lift the base rate if used."""
    X, y = _world(4_000, reach=0.6, decay=2.0)
    calm = np.arange(3000) % 3 != 0
    y = y.copy()
    y[:3000][~calm] = 1
    X[:3000][~calm, 1:5] = np.nan
    model = FeatureRiskModel(ModelSettings(iterations=20)).fit(
        X[:3000], y[:3000], features=FEATURES, X_cal=X[3000:], y_cal=y[3000:], calm=calm
    )
    assert model.hazard_ is not None
    base = 1 / (1 + np.exp(-model.hazard_.describe()["base_intercept"]))
    assert base < 0.1


def test_no_hazard_when_switched_off_or_calm_rows_hold_one_outcome(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert (
        _model(
            np.ones(3000, dtype=bool), ModelSettings(iterations=20, deployment_hazard=False)
        ).hazard_
        is None
    )
    assert _model(None).hazard_ is None
    with caplog.at_level(logging.WARNING):
        assert _model(np.zeros(3000, dtype=bool)).hazard_ is None
    assert "one outcome only" in caplog.text


def test_saved_hazard_round_trips_and_is_checksummed(tmp_path: Path) -> None:
    X, _ = _world(300, reach=0.6, decay=2.0, seed=11)
    model = _model(np.ones(3000, dtype=bool))
    folder = model.save(tmp_path / "m")
    assert HAZARD_FILE in json.loads((folder / "model.json").read_text())["sha256"]
    np.testing.assert_allclose(
        FeatureRiskModel.load(folder).predict_proba(X), model.predict_proba(X)
    )
    payload = json.loads((folder / HAZARD_FILE).read_text())
    payload["theta"][0] += 1.0
    (folder / HAZARD_FILE).write_text(json.dumps(payload))
    with pytest.raises(ModelError, match="checksum mismatch"):
        FeatureRiskModel.load(folder)


def test_hazard_lift_is_credited_to_the_deployment_that_causes_it() -> None:
    model = _model(np.ones(3000, dtype=bool))
    X, _ = _world(50, reach=0.6, decay=2.0, seed=5)
    X[:, 1:5] = np.nan
    X[:, 1] = 0.95  # every row: a risky deployment today, nothing older
    plain = np.asarray(model.booster_.get_feature_importance(Pool(X), type="ShapValues"))[:, :-1]
    added = model.contributions(X) - plain
    p_catboost = model.calibrator_.predict(model.decision(X), model._side(X))
    lift = np.log(model.predict_proba(X) / (1 - model.predict_proba(X))) - np.log(
        p_catboost / (1 - p_catboost)
    )
    np.testing.assert_allclose(added.sum(axis=1), lift, rtol=1e-6)
    today, base = FEATURES.index("deploy_risk_age_0d"), FEATURES.index("deploys_28d")
    assert np.all(added[:, today] > 0)
    untouched = [j for j in range(len(FEATURES)) if j not in (today, base)]
    assert np.all(added[:, untouched] == 0)
