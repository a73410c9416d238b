"""Platt calibration with side inputs: the as-of patch risk weighed beside the raw score."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vigil.modelling.calibration import Calibrator
from vigil.risk.model import FeatureRiskModel
from vigil.risk.settings import ModelSettings


def _data(n: int = 600, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Column 0 drives the label a little, column 1 ("deploy_risk_max_7d") a lot; gaps in 1."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    X[:, 1] = rng.random(n)
    y = (0.3 * X[:, 0] + 3 * X[:, 1] + rng.normal(0, 0.5, n) > 2.0).astype(int)
    X[rng.random(n) < 0.2, 1] = np.nan
    return X, y


def test_side_weights_are_learned_and_used() -> None:
    X, y = _data()
    plain = Calibrator().fit(X[:, 0], y)
    side = Calibrator().fit(X[:, 0], y, X[:, 1:])
    assert "side" not in plain.params_
    assert len(side.params_["side"]) == 1 and side.params_["side"][0] > 1.0
    p = side.predict(X[:, 0], X[:, 1:])
    assert np.all((p >= 0) & (p <= 1))
    missing = side.predict(X[:3, 0], np.full((3, 1), np.nan))
    assert missing == pytest.approx(side.predict(X[:3, 0], np.zeros((3, 1))))
    assert Calibrator.from_dict(side.to_dict()).predict(X[:5, 0], X[:5, 1:]) == pytest.approx(p[:5])


def test_model_weighs_side_inputs_and_keeps_them_on_reload(tmp_path: Path) -> None:
    X, y = _data()
    features = ("a", "deploy_risk_max_7d")
    settings = ModelSettings(iterations=20, depth=2, threads=1)
    model = FeatureRiskModel(settings).fit(
        X[:400, :1], y[:400], features=features[:1], X_cal=X[400:, :1], y_cal=y[400:]
    )
    assert model.side_inputs_ == ()
    model = FeatureRiskModel(settings).fit(
        X[:400], y[:400], features=features, X_cal=X[400:], y_cal=y[400:]
    )
    assert model.side_inputs_ == ("deploy_risk_max_7d",)
    loaded = FeatureRiskModel.load(model.save(tmp_path / "m"))
    assert loaded.side_inputs_ == ("deploy_risk_max_7d",)
    assert loaded.predict_proba(X[:10]) == pytest.approx(model.predict_proba(X[:10]))
    isotonic = FeatureRiskModel(
        ModelSettings(iterations=20, depth=2, threads=1, calibration="isotonic")
    )
    assert (
        isotonic.fit(X[:400], y[:400], features=features, X_cal=X[400:], y_cal=y[400:]).side_inputs_
        == ()
    )
