"""Baselines reported beside the CatBoost model: logistic regression, random forest, naive rules.

Each learned one exposes ``fit(X, y) -> self`` and ``decision(X)``, a real-valued score that the
same calibrator as the model turns into a probability, so every row of the report is comparable.
The two rules of the new-onset evaluation (persistence, recent risky deployment) read the
feature-day frame directly and learn nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
import polars as pl
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from vigil.errors import ModelError


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)))


class _SklearnBaseline(ABC):
    """Shared fit / decision for the scikit-learn baselines (imputation inside the pipeline)."""

    @abstractmethod
    def _pipeline(self) -> Pipeline:
        """The unfitted scikit-learn pipeline of this baseline."""

    def fit(self, X: np.ndarray, y: np.ndarray) -> _SklearnBaseline:
        self.pipeline_ = self._pipeline().fit(X, np.asarray(y, dtype=int))
        return self

    def decision(self, X: np.ndarray) -> np.ndarray:
        if not hasattr(self, "pipeline_"):
            raise ModelError(f"{type(self).__name__} is not fitted: call fit() first")
        return _logit(self.pipeline_.predict_proba(X)[:, 1])


class LogisticBaseline(_SklearnBaseline):
    """Standardised logistic regression (median-imputed inputs)."""

    def __init__(self, seed: int = 7) -> None:
        self.seed = seed

    def _pipeline(self) -> Pipeline:
        return make_pipeline(
            SimpleImputer(strategy="median", keep_empty_features=True),
            StandardScaler(),
            LogisticRegression(max_iter=2000, random_state=self.seed),
        )


class ForestBaseline(_SklearnBaseline):
    """Random forest, single-threaded (the machine is shared)."""

    def __init__(self, trees: int = 200, seed: int = 7) -> None:
        self.trees = trees
        self.seed = seed

    def _pipeline(self) -> Pipeline:
        forest = RandomForestClassifier(
            n_estimators=self.trees, min_samples_leaf=5, n_jobs=1, random_state=self.seed
        )
        return make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), forest)


class SlopeRule:
    """The naive rule: the steeper the 7-day p95 latency slope, the riskier. Nothing to learn."""

    def __init__(self, features: Sequence[str], column: str = "p95_slope_7d") -> None:
        self.features = tuple(features)
        self.column = column

    def fit(self, X: np.ndarray, y: np.ndarray) -> SlopeRule:
        self.index_ = self.features.index(self.column)
        return self

    def decision(self, X: np.ndarray) -> np.ndarray:
        if not hasattr(self, "index_"):
            raise ModelError("SlopeRule is not fitted: call fit() first")
        return np.nan_to_num(np.asarray(X[:, self.index_], dtype=float), nan=0.0)


def persistence_score(frame: pl.DataFrame) -> np.ndarray:
    """ "Already elevated": the largest relative rise of a 3-day value over the 28-day baseline.

    Latency p95, crash rate and error rate as ratios minus one, feedback as its relative drop.
    Nothing is learned; a feature-day with no metric scores 0.
    """
    rises = (
        pl.col("p95_3d_ratio") - 1,
        pl.col("crash_3d_ratio") - 1,
        pl.col("error_3d_ratio") - 1,
        pl.col("feedback_3d_drop"),
    )
    return frame.select(pl.max_horizontal(*rises).fill_null(0.0))[:, 0].to_numpy()


def recent_deploy_score(frame: pl.DataFrame) -> np.ndarray:
    """ "Recent risky deployment": the highest as-of patch risk among the deployments that
    touched the feature in the last 7 days (0 when none did, or none had a score yet)."""
    return frame["deploy_risk_max_7d"].cast(pl.Float64).fill_null(0.0).to_numpy()
