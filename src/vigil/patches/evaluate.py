"""`vigil patches evaluate`: train and test a JIT defect model on any change-level CSV.

Protocol (ISSTA 2021): rows in time order, the first ``train_fraction`` train, the rest test, no
shuffling. The model is reported beside three baselines: logistic regression on all columns
(LR-JIT), logistic regression on ``la`` alone (LApredict) and smallest change first (no model).
Effort-aware metrics rank every model by predicted risk per line of effort, which is what a QA
queue does with a fixed budget of review time.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from vigil.patches.effort import effort_metrics, rank_by_score, smallest_first
from vigil.patches.jit_data import ChangeData, read_changes, time_split
from vigil.patches.jit_features import log_scaled
from vigil.patches.jit_model import JitModel

log = logging.getLogger(__name__)

LA_COLUMN = "la"


def evaluate_csv(
    path: Path,
    *,
    label_column: str = "bug",
    time_column: str = "date",
    train_fraction: float = 0.8,
    effort_columns: tuple[str, ...] = ("la", "ld"),
    gap_days: float = 0.0,
    seed: int = 7,
) -> dict[str, Any]:
    """Read ``path``, split it in time, fit the model and baselines, return one JSON-able dict."""
    data = read_changes(path, label_column, time_column, list(effort_columns))
    result = evaluate_changes(
        data, train_fraction=train_fraction, gap_seconds=gap_days * 86400.0, seed=seed
    )
    return {"data": str(path), **result}


def evaluate_changes(
    data: ChangeData, *, train_fraction: float = 0.8, gap_seconds: float = 0.0, seed: int = 7
) -> dict[str, Any]:
    """Fit on the time-ordered train part and score model and baselines on the test part."""
    train, test = time_split(data, train_fraction, gap_seconds)
    y_train, y_test = _labels(train, data), _labels(test, data)
    effort = test.select(pl.sum_horizontal(data.effort_columns)).to_series().to_numpy()
    model = JitModel(seed=seed).fit(train.select(data.features), y_train)
    scores = {"model": model.predict_proba(test.select(data.features))}
    scores["lr_all_columns"] = _logistic(train, test, data.features, y_train)
    if LA_COLUMN in data.features:
        scores["la_alone"] = _logistic(train, test, [LA_COLUMN], y_train)
    results = {name: _metrics(y_test, s, effort) for name, s in scores.items()}
    results["smallest_change_first"] = _smallest_first(y_test, effort)
    return {
        "label_column": data.label,
        "time_column": data.time,
        "effort_columns": data.effort_columns,
        "features": data.features,
        "dropped_columns": data.dropped,
        "split": _split_info(train, test, data, gap_seconds),
        "model_params": {
            "depth": model.depth_,
            "iterations": model.iterations_,
            "validation_auc": round(model.validation_auc_, 4),
        },
        **results,
    }


def _labels(frame: pl.DataFrame, data: ChangeData) -> NDArray[np.int_]:
    return frame[data.label].to_numpy().astype(int)


def _logistic(
    train: pl.DataFrame, test: pl.DataFrame, columns: list[str], y: NDArray[np.int_]
) -> NDArray[np.float64]:
    """Logistic regression on log1p-scaled columns, scaler fitted on the train part only."""
    lr = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    lr.fit(log_scaled(train.select(columns)).to_numpy(), y)
    return np.asarray(lr.predict_proba(log_scaled(test.select(columns)).to_numpy())[:, 1])


def _metrics(y: NDArray[np.int_], score: NDArray[np.float64], effort: NDArray) -> dict[str, float]:
    """AUC and PR-AUC of the score; effort-aware metrics of ranking by score per line."""
    density = score / np.maximum(effort, 1.0)
    out = {
        "auc": float(roc_auc_score(y, score)),
        "pr_auc": float(average_precision_score(y, score)),
        **effort_metrics(y, effort, rank_by_score(density)),
    }
    return {k: round(v, 4) for k, v in out.items()}


def _smallest_first(y: NDArray[np.int_], effort: NDArray) -> dict[str, float]:
    score = -effort.astype(float)
    out = {
        "auc": float(roc_auc_score(y, score)),
        "pr_auc": float(average_precision_score(y, score)),
        **effort_metrics(y, effort, smallest_first(effort)),
    }
    return {k: round(v, 4) for k, v in out.items()}


def _split_info(
    train: pl.DataFrame, test: pl.DataFrame, data: ChangeData, gap_seconds: float
) -> dict[str, Any]:
    return {
        "train_rows": train.height,
        "test_rows": test.height,
        "train_defect_share": round(train.select(pl.col(data.label).mean()).item(), 4),
        "test_defect_share": round(test.select(pl.col(data.label).mean()).item(), 4),
        "max_train_time": train.select(pl.col(data.time).max()).item(),
        "min_test_time": test.select(pl.col(data.time).min()).item(),
        "gap_seconds": gap_seconds,
    }
