"""Baselines reported beside CatBoost: random forest and logistic / ridge regression."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler


def _imputer() -> SimpleImputer:
    return SimpleImputer(strategy="median", keep_empty_features=True)


def _forest_kwargs(seed: int) -> dict[str, Any]:
    return {"n_estimators": 200, "min_samples_leaf": 2, "random_state": seed, "n_jobs": 1}


def classifiers(seed: int) -> dict[str, Pipeline]:
    """Unfitted baseline classifiers; imputer and scaler are fitted on the training rows only."""
    return {
        "random_forest": make_pipeline(_imputer(), RandomForestClassifier(**_forest_kwargs(seed))),
        "logistic_regression": make_pipeline(
            _imputer(), StandardScaler(), LogisticRegression(max_iter=1000)
        ),
    }


def regressors(seed: int) -> dict[str, Pipeline]:
    """Unfitted baseline regressors for the expected error rate."""
    return {
        "random_forest": make_pipeline(_imputer(), RandomForestRegressor(**_forest_kwargs(seed))),
        "ridge": make_pipeline(_imputer(), StandardScaler(), Ridge(alpha=1.0)),
    }


def fit_predict_proba(model: Any, X: np.ndarray, y: np.ndarray, X_test: np.ndarray) -> np.ndarray:
    """Fit a classifier and return P(class 1) on the test rows."""
    return np.asarray(model.fit(X, y).predict_proba(X_test)[:, 1], dtype=float)


def fit_predict(model: Any, X: np.ndarray, y: np.ndarray, X_test: np.ndarray) -> np.ndarray:
    """Fit a regressor and return its test predictions."""
    return np.asarray(model.fit(X, y).predict(X_test), dtype=float)
