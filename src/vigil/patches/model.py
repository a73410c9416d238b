"""PatchRiskModel: CatBoost classifier for P(high risk), Platt-calibrated on a later time slice,
+ a regressor for the error rate per 10k."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vigil.errors import ModelError
from vigil.modelling.calibration import CALIBRATION_JSON, Platt, fit_platt
from vigil.registry.files import ModelVersion, verified_path

log = logging.getLogger(__name__)

CLASSIFIER_CBM = "classifier.cbm"
CLASSIFIER_JSON = "classifier.json"
REGRESSOR_CBM = "regressor.cbm"
FEATURES_JSON = "features.json"


@dataclass
class PatchRiskModel:
    """Estimator-style: ``fit`` returns self; learned state ends in ``_``."""

    iterations: int = 300
    depth: int = 4
    learning_rate: float = 0.05
    seed: int = 7
    threads: int = 1

    def _params(self) -> dict[str, Any]:
        return {
            "iterations": self.iterations,
            "depth": self.depth,
            "learning_rate": self.learning_rate,
            "random_seed": self.seed,
            "thread_count": self.threads,
            "verbose": 0,
            "allow_writing_files": False,
        }

    def fit(
        self, X: np.ndarray, y_high: np.ndarray, y_rate: np.ndarray, features: list[str]
    ) -> PatchRiskModel:
        """Train both models on pre-release inputs ``X`` and post-release outcomes."""
        from catboost import CatBoostClassifier, CatBoostRegressor

        if len(np.unique(y_high)) < 2:
            raise ModelError(
                "training releases are all one class (high risk or not); "
                "lower patches.high_risk.value or wait for more releases"
            )
        self.features_ = list(features)
        self.classifier_ = CatBoostClassifier(**self._params()).fit(X, y_high)
        self.regressor_ = CatBoostRegressor(**self._params()).fit(X, y_rate)
        return self

    def _check(self) -> None:
        if not hasattr(self, "classifier_"):
            raise ModelError("PatchRiskModel is not fitted (call fit or load first)")

    def calibrate(self, X: np.ndarray, y_high: np.ndarray) -> PatchRiskModel:
        """Fit the Platt map on a calibration slice (releases after the training ones)."""
        self.calibration_ = fit_platt(self.predict_raw(X), y_high)
        return self

    def predict_raw(self, X: np.ndarray) -> np.ndarray:
        """The classifier's raw log-odds per row."""
        self._check()
        return np.asarray(
            self.classifier_.predict(X, prediction_type="RawFormulaVal", thread_count=self.threads),
            dtype=float,
        )

    def predict_uncalibrated(self, X: np.ndarray) -> np.ndarray:
        """CatBoost's own P(high risk) per row (before calibration)."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.predict_raw(X))))

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Calibrated P(high risk) per row."""
        self._check()
        if not hasattr(self, "calibration_"):
            raise ModelError("PatchRiskModel is not calibrated (call calibrate first)")
        platt: Platt = self.calibration_
        z = np.clip(platt.a * self.predict_raw(X) + platt.b, -500, 500)
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def predict_rate(self, X: np.ndarray) -> np.ndarray:
        """Expected error rate per 10k devices per row."""
        self._check()
        return np.asarray(self.regressor_.predict(X, thread_count=self.threads), dtype=float)

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """SHAP values of the classifier's log-odds, one column per feature."""
        from catboost import Pool

        self._check()
        shap = self.classifier_.get_feature_importance(
            Pool(X), type="ShapValues", thread_count=self.threads
        )
        return np.asarray(shap)[:, :-1]  # the last column is the expected value

    def save(self, folder: Path) -> Path:
        """Write native CatBoost files (+ a JSON export for the gate) into ``folder``."""
        self._check()
        folder.mkdir(parents=True, exist_ok=True)
        self.classifier_.save_model(str(folder / CLASSIFIER_CBM))
        self.classifier_.save_model(str(folder / CLASSIFIER_JSON), format="json")
        self.regressor_.save_model(str(folder / REGRESSOR_CBM))
        (folder / FEATURES_JSON).write_text(json.dumps(self.features_), "utf-8")
        if hasattr(self, "calibration_"):
            self.calibration_.save(folder / CALIBRATION_JSON)
        return folder

    @classmethod
    def load(cls, mv: ModelVersion) -> PatchRiskModel:
        """Load a registered version after checking each file's sha256."""
        from catboost import CatBoostClassifier, CatBoostRegressor

        model = cls()
        model.features_ = list(mv.features)
        model.classifier_ = CatBoostClassifier()
        model.classifier_.load_model(str(verified_path(mv, CLASSIFIER_CBM)))
        model.regressor_ = CatBoostRegressor()
        model.regressor_.load_model(str(verified_path(mv, REGRESSOR_CBM)))
        model.calibration_ = Platt.load(verified_path(mv, CALIBRATION_JSON))
        return model
