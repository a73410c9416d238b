"""Metrics for the patch models: classification at the gate's block threshold, and R²."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn import metrics as skm


def classification_metrics(y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, Any]:
    """ROC-AUC / PR-AUC (None when the hold-out has one class), accuracy, high-risk recall and
    precision when blocking at ``threshold``."""
    both = len(np.unique(y)) == 2
    pred = (p >= threshold).astype(int)
    return {
        "roc_auc": float(skm.roc_auc_score(y, p)) if both else None,
        "pr_auc": float(skm.average_precision_score(y, p)) if both else None,
        "accuracy": float(skm.accuracy_score(y, pred)),
        "recall": float(skm.recall_score(y, pred, zero_division=0)),
        "precision": float(skm.precision_score(y, pred, zero_division=0)),
        "threshold": threshold,
        "n": len(y),
        "n_high_risk": int(y.sum()),
    }


def regression_metrics(y: np.ndarray, yhat: np.ndarray) -> dict[str, Any]:
    """R² (None with fewer than two rows) and mean absolute error."""
    return {
        "r2": float(skm.r2_score(y, yhat)) if len(y) >= 2 else None,
        "mae": float(skm.mean_absolute_error(y, yhat)),
        "n": len(y),
    }
