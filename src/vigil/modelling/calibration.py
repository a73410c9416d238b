"""Probability calibration for both model families, serialised as JSON (never pickle).

- :class:`Platt` / :func:`fit_platt` (patch risk): Platt's method with his smoothed targets;
  applying it needs only the standard library, so the CI gate stays a light process.
- :class:`Calibrator` (feature risk): Platt (with optional side inputs) or isotonic.

numpy, scipy and scikit-learn load inside the functions that need them (the gate needs none).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from vigil.errors import ModelError

if TYPE_CHECKING:
    import numpy as np

CALIBRATION_JSON = "calibration.json"


@dataclass(frozen=True)
class Platt:
    """P(high risk) = 1 / (1 + exp(-(a * raw + b))) for the classifier's raw log-odds."""

    a: float
    b: float
    n: int
    n_positive: int

    def apply(self, raw: float) -> float:
        """The calibrated probability of one raw score."""
        z = max(-500.0, min(500.0, self.a * raw + self.b))
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path) -> Path:
        """Write the map as JSON."""
        path.write_text(json.dumps({"method": "platt", **asdict(self)}), "utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> Platt:
        """Read a map written by :meth:`save`."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
            return cls(float(data["a"]), float(data["b"]), int(data["n"]), int(data["n_positive"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"cannot read calibration {path} (re-train the model)") from exc


def fit_platt(raw: np.ndarray, y: np.ndarray) -> Platt:
    """Platt's method with his smoothed targets ((N+ + 1) / (N+ + 2), 1 / (N- + 2)), which
    keeps the map finite on a small or separable calibration slice."""
    import numpy as np
    from scipy.optimize import minimize

    raw, y = np.asarray(raw, dtype=float), np.asarray(y, dtype=int)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ModelError(
            f"the calibration slice ({len(y)} releases) holds only one outcome class "
            "(raise patches.model.calibration_share or wait for more releases)"
        )
    target = np.where(y == 1, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))

    def loss(ab: np.ndarray) -> tuple[float, np.ndarray]:
        z = ab[0] * raw + ab[1]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))
        value = np.sum(np.logaddexp(0.0, z) - target * z)
        grad = p - target
        return float(value), np.array([np.dot(grad, raw), grad.sum()])

    start = np.array([0.0, math.log((n_pos + 1.0) / (n_neg + 1.0))])
    result = minimize(loss, start, jac=True, method="BFGS")
    a, b = (float(v) for v in result.x)
    return Platt(a, b, len(y), n_pos)


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
        import numpy as np

        labels = np.asarray(labels, dtype=int)
        if len(np.unique(labels)) < 2:
            raise ModelError(
                "the calibration slice holds only one outcome class; supply more history "
                "or raise risk.calibration_share"
            )
        scores = np.asarray(scores, dtype=float)
        from sklearn.isotonic import IsotonicRegression
        from sklearn.linear_model import LogisticRegression

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
        import numpy as np

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
    import numpy as np

    if side is None:
        return np.zeros((rows, 0))
    matrix = np.asarray(side, dtype=float).reshape(rows, -1)
    return np.nan_to_num(matrix, nan=0.0)
