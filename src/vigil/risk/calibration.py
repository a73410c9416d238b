"""Probability calibration (Platt or isotonic) that serialises to JSON, never pickle."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from vigil.errors import ModelError

Kind = Literal["platt", "isotonic"]


class Calibrator:
    """Maps a model's raw score onto a calibrated probability.

    Fitted on a time-ordered calibration slice (never the test set). The learned state is a
    handful of numbers, so it is stored as JSON and evaluated with numpy at scoring time.
    Platt scaling may take *side inputs* beside the raw score (one extra weight each; a missing
    value counts as 0): inputs the model could not learn from its older training rows.
    """

    def __init__(self, kind: Kind = "platt") -> None:
        self.kind = kind

    def fit(
        self, scores: np.ndarray, labels: np.ndarray, side: np.ndarray | None = None
    ) -> Calibrator:
        """Learn the mapping; the slice must contain both outcomes. ``side``: (rows, k), Platt."""
        labels = np.asarray(labels, dtype=int)
        if len(np.unique(labels)) < 2:
            raise ModelError(
                "the calibration slice holds only one outcome class; supply more history "
                "or raise risk.calibration_share"
            )
        scores = np.asarray(scores, dtype=float)
        if self.kind == "platt":
            inputs = np.column_stack([scores, _side(side, len(scores))])
            lr = LogisticRegression(C=1e6, max_iter=1000).fit(inputs, labels)
            params: dict[str, Any] = {"a": float(lr.coef_[0, 0]), "b": float(lr.intercept_[0])}
            if side is not None:
                params["side"] = [float(w) for w in lr.coef_[0, 1:]]
            self.params_ = params
        else:
            iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
            iso.fit(scores, labels)
            self.params_ = {"x": iso.X_thresholds_.tolist(), "y": iso.y_thresholds_.tolist()}
        return self

    def predict(self, scores: np.ndarray, side: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities in [0, 1] (``side`` as at fit time, when it had any)."""
        if not hasattr(self, "params_"):
            raise ModelError("calibrator is not fitted: call fit() first")
        scores = np.asarray(scores, dtype=float)
        if self.kind == "platt":
            z = self.params_["a"] * scores + self.params_["b"]
            weights = self.params_.get("side")
            if weights:
                z = z + _side(side, len(scores)) @ np.asarray(weights, dtype=float)
            return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -500, 500))))
        return np.interp(scores, self.params_["x"], self.params_["y"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready state."""
        return {"kind": self.kind, "params": self.params_}

    @classmethod
    def from_dict(cls, payload: dict[str, Any]) -> Calibrator:
        """Rebuild a fitted calibrator from :meth:`to_dict` output."""
        calibrator = cls(payload["kind"])
        calibrator.params_ = payload["params"]
        return calibrator


def _side(side: np.ndarray | None, rows: int) -> np.ndarray:
    """Side inputs as a float matrix with missing values at 0 (no columns when None)."""
    if side is None:
        return np.zeros((rows, 0))
    matrix = np.asarray(side, dtype=float).reshape(rows, -1)
    return np.nan_to_num(matrix, nan=0.0)
