"""What a risk model offers the code around it, whichever family it belongs to.

Both ``FeatureRiskModel`` (vigil.risk) and ``PatchRiskModel`` (vigil.patches) follow the
scikit-learn estimator convention: ``fit`` returns self and learned state ends in ``_``.
Trainers, scorers and the registry rely on this much and no more.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class RiskModel(Protocol):
    """A fitted, calibrated probabilistic classifier that explains itself and saves natively."""

    features_: Sequence[str]
    """input names, in the column order of ``X``"""

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Calibrated probability of the bad outcome, one per row, in [0, 1]."""
        ...

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Per-row, per-input contributions to the raw score (SHAP values in log-odds)."""
        ...

    def save(self, folder: Path) -> Path:
        """Write the model in its library's native format (never pickle); returns ``folder``."""
        ...
