"""The feature-risk model: CatBoost on the model inputs, calibrated, explained by SHAP values,
joined with the deployment hazard (:mod:`vigil.risk.hazard`) for features not degrading yet.

The served probability is ``1 - (1 - p_metrics) * (1 - p_hazard)``: either cause degrades the
feature. CatBoost (calibrated on the calibration slice) learns from every training row, which
are dominated by regressions already under way; the hazard (a likelihood fit, so already a
probability) learns from the calm rows only, where a warning is worth the most.

Stored as files: ``model.cbm`` (CatBoost's native format), ``calibrator.json``, ``hazard.json``
and ``model.json`` (input names and the sha256 of the others, checked at load). Never pickle.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from catboost import CatBoostClassifier, Pool

from vigil.errors import ModelError
from vigil.modelling.calibration import Calibrator
from vigil.registry.files import sha256_file
from vigil.risk.hazard import INPUTS as HAZARD_INPUTS
from vigil.risk.hazard import DeploymentHazard
from vigil.risk.settings import ModelSettings

SIDE_INPUTS = ("deploy_risk_max_3d", "deploy_risk_max_7d")
"""Inputs weighed by the Platt calibrator beside CatBoost's raw score. The as-of patch risk exists
only once release outcomes have matured, so most of the older training rows lack it; the
calibration slice (recent, before the test gap) has it and learns its weight."""

MODEL_FILE = "model.cbm"
CALIBRATOR_FILE = "calibrator.json"
HAZARD_FILE = "hazard.json"

log = logging.getLogger(__name__)
META_FILE = "model.json"


class FeatureRiskModel:
    """Estimator-style: ``fit`` returns self, learned state ends in ``_``
    (a :class:`vigil.modelling.contract.RiskModel`)."""

    def __init__(self, settings: ModelSettings | None = None, seed: int = 7) -> None:
        self.settings = settings or ModelSettings()
        self.seed = seed

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        features: Sequence[str],
        X_cal: np.ndarray,
        y_cal: np.ndarray,
        sample_weight: np.ndarray | None = None,
        calm: np.ndarray | None = None,
    ) -> FeatureRiskModel:
        """Train CatBoost on (X, y), then calibrate its raw scores on the calibration slice.

        ``calm`` marks the training rows not elevated at t: with ``deployment_hazard`` on, the
        hazard is fitted on them and joined with CatBoost's probability."""
        s = self.settings
        booster = CatBoostClassifier(
            iterations=s.iterations,
            depth=s.depth,
            learning_rate=s.learning_rate,
            l2_leaf_reg=s.l2_leaf_reg,
            random_seed=self.seed,
            thread_count=s.threads,
            verbose=False,
            allow_writing_files=False,
        )
        booster.fit(X, np.asarray(y, dtype=int), sample_weight=sample_weight)
        self.booster_ = booster
        self.features_ = tuple(features)
        platt = s.calibration == "platt"
        self.side_inputs_ = tuple(n for n in SIDE_INPUTS if n in self.features_) if platt else ()
        side = self._side(X_cal)
        self.calibrator_ = Calibrator(s.calibration).fit(self.decision(X_cal), y_cal, side)
        self.hazard_: DeploymentHazard | None = None
        if s.deployment_hazard and calm is not None and set(HAZARD_INPUTS) <= set(self.features_):
            rows = np.asarray(calm, dtype=bool)
            outcomes = np.asarray(y, dtype=int)[rows]
            if outcomes.size and outcomes.min() != outcomes.max():
                self.hazard_ = DeploymentHazard().fit(np.asarray(X)[rows], outcomes, features)
            else:
                log.warning("no deployment hazard: the calm training rows hold one outcome only")
        return self

    def hazard(self, X: np.ndarray) -> np.ndarray | None:
        """The deployment hazard per row (None when the model has none)."""
        return None if self.hazard_ is None else self.hazard_.predict(X)

    def _side(self, X: np.ndarray) -> np.ndarray | None:
        """The side-input columns of ``X`` (None when the model has none of them)."""
        index = [self.features_.index(name) for name in self.side_inputs_]
        return np.asarray(X)[:, index] if index else None

    def _check_fitted(self) -> None:
        if not hasattr(self, "booster_"):
            raise ModelError("feature-risk model is not trained: run 'vigil train features'")

    def decision(self, X: np.ndarray) -> np.ndarray:
        """Raw (uncalibrated) log-odds."""
        self._check_fitted()
        return np.asarray(self.booster_.predict(X, prediction_type="RawFormulaVal"), dtype=float)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Calibrated probability of degrading within the horizon, in [0, 1]."""
        p = self.calibrator_.predict(self.decision(X), self._side(X))
        if self.hazard_ is not None:
            p = 1.0 - (1.0 - p) * (1.0 - self.hazard_.predict(X))
        return np.clip(p, 0.0, 1.0)

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Per-prediction contributions in log-odds, one column per input: CatBoost's SHAP
        values (bias column dropped) plus the hazard's lift, shared among its inputs."""
        self._check_fitted()
        shap = np.asarray(self.booster_.get_feature_importance(Pool(X), type="ShapValues"))
        shap = shap[:, :-1]
        if self.hazard_ is None:
            return shap
        p_catboost = self.calibrator_.predict(self.decision(X), self._side(X))
        lift = _logit(self.predict_proba(X)) - _logit(p_catboost)
        columns, shares = self.hazard_.attribution(X)
        for j, name in enumerate(columns):
            shap[:, self.features_.index(name)] += lift * shares[:, j]
        return shap

    def save(self, folder: Path) -> Path:
        """Write the model files into ``folder`` (created) and return it."""
        self._check_fitted()
        folder.mkdir(parents=True, exist_ok=True)
        self.booster_.save_model(str(folder / MODEL_FILE), format="cbm")
        (folder / CALIBRATOR_FILE).write_text(json.dumps(self.calibrator_.to_dict()))
        files = [MODEL_FILE, CALIBRATOR_FILE]
        if self.hazard_ is not None:
            (folder / HAZARD_FILE).write_text(json.dumps(self.hazard_.to_dict()))
            files.append(HAZARD_FILE)
        meta = {
            "features": list(self.features_),
            "side_inputs": list(self.side_inputs_),
            "sha256": {name: sha256_file(folder / name) for name in files},
        }
        (folder / META_FILE).write_text(json.dumps(meta, indent=2))
        return folder

    @classmethod
    def load(cls, folder: Path) -> FeatureRiskModel:
        """Read a saved model, refusing files whose sha256 does not match."""
        meta_path = folder / META_FILE
        if not meta_path.is_file():
            raise ModelError(f"no feature-risk model in {folder} (run 'vigil train features')")
        meta = json.loads(meta_path.read_text())
        for name, expected in meta["sha256"].items():
            if not (folder / name).is_file() or sha256_file(folder / name) != expected:
                raise ModelError(
                    f"{folder / name}: checksum mismatch, the model file was changed or is "
                    "missing (retrain with 'vigil train features')"
                )
        model = cls()
        model.booster_ = CatBoostClassifier()
        model.booster_.load_model(str(folder / MODEL_FILE), format="cbm")
        model.calibrator_ = Calibrator.from_dict(json.loads((folder / CALIBRATOR_FILE).read_text()))
        model.features_ = tuple(meta["features"])
        model.side_inputs_ = tuple(meta.get("side_inputs", ()))
        model.hazard_ = None
        if HAZARD_FILE in meta["sha256"]:
            payload = json.loads((folder / HAZARD_FILE).read_text())
            model.hazard_ = DeploymentHazard.from_dict(payload)
        return model


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=float), 1e-9, 1 - 1e-9)
    return np.asarray(np.log(q / (1 - q)))
