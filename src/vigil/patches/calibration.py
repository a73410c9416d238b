"""Platt calibration of the classifier's log-odds: fitted on the calibration slice (releases
before the gap to test), stored as JSON, applied with the standard library (the CI gate)."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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
