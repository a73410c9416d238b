"""Fit the patch models on a time split and score the test releases: what `vigil train patches`
reports, and what the benchmark pools over several worlds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from vigil.config import VigilConfig
from vigil.modelling.metrics import at_threshold, regression, reliability
from vigil.patches import baselines
from vigil.patches.inputs import MODEL_FEATURES, encode_row
from vigil.patches.label import OUTCOME, Label
from vigil.patches.model import PatchRiskModel
from vigil.patches.split import Split

RULES = {"churn_rule": "code_churn", "prev_error_rate_rule": "prev_error_rate"}
"""No-model baselines: gate the biggest changes, or the releases after the worst ones."""


def matrix(df: pl.DataFrame, features: list[str] | tuple[str, ...]) -> np.ndarray:
    """Encode release rows as the model's input matrix (same encoder as the gate)."""
    rows = [encode_row(row, features) for row in df.iter_rows(named=True)]
    return np.asarray(rows, dtype=float).reshape(len(rows), len(features))


def rule_score(df: pl.DataFrame, column: str) -> np.ndarray:
    """A no-model baseline: the larger ``column``, the riskier (missing values: the median)."""
    values = df[column].cast(pl.Float64).to_numpy().copy()
    missing = np.isnan(values)
    values[missing] = np.nanmedian(values) if not missing.all() else 0.0
    return values


def patch_model(cfg: VigilConfig) -> PatchRiskModel:
    """An unfitted PatchRiskModel with the configured knobs."""
    m = cfg.patches.model
    return PatchRiskModel(m.iterations, m.depth, m.learning_rate, cfg.patches.seed, m.threads)


@dataclass(frozen=True)
class HoldOut:
    """The fitted model, the test labels, every score on the test releases and the metrics."""

    model: PatchRiskModel
    y: np.ndarray
    probs: dict[str, np.ndarray]
    """probabilities: CatBoost calibrated and not, and the baseline classifiers"""
    rules: dict[str, np.ndarray]
    classifier: dict[str, Any]
    regressor: dict[str, Any]

    @property
    def scores(self) -> dict[str, np.ndarray]:
        """Every model's and rule's score on the test releases."""
        return {**self.probs, **self.rules}


def fit_hold_out(cfg: VigilConfig, split: Split, label: Label) -> HoldOut:
    """Fit CatBoost and the baselines on train, calibrate CatBoost on the calibration slice,
    and score the test releases."""
    features = list(MODEL_FEATURES)
    X, Xc, Xt = (matrix(part, features) for part in split.parts)
    y, yc, yt = (label.apply(part) for part in split.parts)
    rate, rate_t = split.train[OUTCOME].to_numpy(), split.test[OUTCOME].to_numpy()
    seed, block = cfg.patches.seed, cfg.patches.gate.block
    model = patch_model(cfg).fit(X, y, rate, features).calibrate(Xc, yc)
    probs = {
        "catboost": model.predict_proba(Xt),
        "catboost_uncalibrated": model.predict_uncalibrated(Xt),
    }
    for name, est in baselines.classifiers(seed).items():
        probs[name] = baselines.fit_predict_proba(est, X, y, Xt)
    reg = {"catboost": regression(rate_t, model.predict_rate(Xt))}
    for name, est in baselines.regressors(seed).items():
        reg[name] = regression(rate_t, baselines.fit_predict(est, X, rate, Xt))
    return HoldOut(
        model=model,
        y=yt,
        probs=probs,
        rules={name: rule_score(split.test, column) for name, column in RULES.items()},
        classifier={name: at_threshold(yt, p, block) for name, p in probs.items()},
        regressor=reg,
    )


def calibration_summary(
    y: np.ndarray, probs: dict[str, np.ndarray], models: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """On the test releases: reliability curve, Brier and ECE of the calibrated model, beside
    CatBoost's own probabilities."""
    return {
        "reliability": reliability(y, probs["catboost"]),
        "brier": models["catboost"]["brier"],
        "ece": models["catboost"]["ece"],
        "uncalibrated": {
            "reliability": reliability(y, probs["catboost_uncalibrated"]),
            "brier": models["catboost_uncalibrated"]["brier"],
            "ece": models["catboost_uncalibrated"]["ece"],
        },
    }
