"""The model: fit-before-predict, probabilities in [0, 1], native storage with checksums."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from vigil.errors import ModelError
from vigil.modelling.calibration import Calibrator
from vigil.registry import ModelRegistry
from vigil.risk.baselines import ForestBaseline, LogisticBaseline, SlopeRule
from vigil.risk.champion import MODEL_NAME, load_champion
from vigil.risk.model import CALIBRATOR_FILE, MODEL_FILE, FeatureRiskModel

from .conftest import MODEL_INPUTS, toy_data

FEATURES = MODEL_INPUTS
_data = toy_data


@pytest.mark.parametrize(
    "scorer",
    [FeatureRiskModel(), LogisticBaseline(), ForestBaseline(), SlopeRule(FEATURES, "a")],
)
def test_predict_before_fit_is_a_clear_error(scorer: object) -> None:
    with pytest.raises(ModelError, match=r"not (fitted|trained)"):
        scorer.decision(np.zeros((1, 3)))  # type: ignore[attr-defined]


def test_calibrator_before_fit_and_single_class() -> None:
    with pytest.raises(ModelError, match="not fitted"):
        Calibrator().predict(np.zeros(2))
    with pytest.raises(ModelError, match="only one outcome class"):
        Calibrator().fit(np.arange(5.0), np.zeros(5))


def _calibrators() -> list[Calibrator]:
    rng = np.random.default_rng(1)
    raw = rng.normal(size=200)
    labels = (raw + rng.normal(size=200) > 0).astype(int)
    fitted = [Calibrator(kind).fit(raw, labels) for kind in ("platt", "isotonic")]
    return [Calibrator.from_dict(json.loads(json.dumps(c.to_dict()))) for c in fitted]


CALIBRATORS = _calibrators()


@settings(deadline=None)
@given(arrays(np.float64, st.integers(1, 50), elements=st.floats(-1e6, 1e6)))
def test_calibrated_probabilities_stay_in_unit_interval(scores: np.ndarray) -> None:
    for calibrator in CALIBRATORS:
        p = calibrator.predict(scores)
        assert np.all((p >= 0) & (p <= 1))


def test_model_scores_are_probabilities_and_explain_the_raw_score(
    fitted: FeatureRiskModel,
) -> None:
    X, _ = _data(50, seed=5)
    p = fitted.predict_proba(X)
    assert p.shape == (50,) and np.all((p >= 0) & (p <= 1))
    shap = fitted.contributions(X)
    assert shap.shape == (50, 3)
    bias = fitted.decision(X) - shap.sum(axis=1)
    assert np.allclose(bias, bias[0])  # SHAP values add up to the raw score


def test_save_load_round_trip(fitted: FeatureRiskModel, tmp_path: Path) -> None:
    X, _ = _data(20, seed=9)
    loaded = FeatureRiskModel.load(fitted.save(tmp_path / "m"))
    assert loaded.features_ == FEATURES
    assert np.allclose(loaded.predict_proba(X), fitted.predict_proba(X))
    assert not list((tmp_path / "m").glob("*.pkl"))


@pytest.mark.parametrize("victim", [MODEL_FILE, CALIBRATOR_FILE])
def test_tampered_artifact_is_refused(
    fitted: FeatureRiskModel, tmp_path: Path, victim: str
) -> None:
    folder = fitted.save(tmp_path / "m")
    with (folder / victim).open("ab") as handle:
        handle.write(b" ")
    with pytest.raises(ModelError, match="checksum mismatch"):
        FeatureRiskModel.load(folder)


def test_tampered_registry_champion_is_refused(
    fitted: FeatureRiskModel, tmp_path: Path, cfg
) -> None:  # type: ignore[no-untyped-def]
    from vigil.warehouse.connection import memory_warehouse

    con = memory_warehouse()
    reg = ModelRegistry(con, cfg.models_dir)
    mv = reg.register(
        MODEL_NAME,
        fitted.save(tmp_path / "m"),
        metrics={},
        features=list(FEATURES),
        train_start=None,
        train_end=None,
    )
    reg.set_alias(MODEL_NAME, "champion", mv.version, "test")
    model, loaded_mv = load_champion(con, cfg)  # type: ignore[misc]
    assert loaded_mv.version == mv.version and model.features_ == FEATURES
    (mv.path / MODEL_FILE).write_bytes(b"not a model")
    with pytest.raises(ModelError):
        load_champion(con, cfg)
