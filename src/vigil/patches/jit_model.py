"""The JIT defect-prediction model: CatBoost on change metrics plus derived ratios.

Tuning uses only the training rows: the last ``validation_fraction`` of them (in time order) is a
validation slice that picks the tree depth and the number of trees (early stopping); the model is
then refitted on all training rows. The test set is never seen before :meth:`predict_proba`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray
from sklearn.metrics import roc_auc_score

from vigil.errors import ModelError
from vigil.patches.jit_features import derive

log = logging.getLogger(__name__)


@dataclass
class JitModel:
    """Estimator-style: ``fit(frame, y)`` on time-sorted rows returns self, then predict_proba."""

    depths: tuple[int, ...] = (4, 6)
    learning_rate: float = 0.05
    max_iterations: int = 1000
    validation_fraction: float = 0.2
    seed: int = 7
    thread_count: int = 2

    def fit(self, frame: pl.DataFrame, y: NDArray[np.int_]) -> JitModel:
        """Tune depth and trees on the time-ordered validation slice, then refit on all rows."""
        self.columns_ = list(frame.columns)
        x = derive(frame, self.columns_)
        cut = int(len(x) * (1.0 - self.validation_fraction))
        trials = [self._trial(x[:cut], y[:cut], x[cut:], y[cut:], d) for d in self.depths]
        self.validation_auc_, self.depth_, best_iter = max(trials)
        self.iterations_ = max(50, round(best_iter * len(x) / max(cut, 1)))
        self.model_ = self._catboost(self.depth_, self.iterations_)
        self.model_.fit(x.to_numpy(), y)
        self.feature_names_ = list(x.columns)
        log.info(
            "jit model: depth %d, %d trees, validation AUC %.3f",
            self.depth_,
            self.iterations_,
            self.validation_auc_,
        )
        return self

    def predict_proba(self, frame: pl.DataFrame) -> NDArray[np.float64]:
        """Probability that each change induces a defect."""
        if not hasattr(self, "model_"):
            raise ModelError("the JIT model is not fitted yet (call fit first)")
        missing = [c for c in self.columns_ if c not in frame.columns]
        if missing:
            raise ModelError(f"input lacks the model's columns: {', '.join(missing)}")
        x = derive(frame.select(self.columns_), self.columns_)
        return np.asarray(self.model_.predict_proba(x.to_numpy())[:, 1], dtype=float)

    def _trial(
        self, x_fit: pl.DataFrame, y_fit: NDArray, x_val: pl.DataFrame, y_val: NDArray, depth: int
    ) -> tuple[float, int, int]:
        model = self._catboost(depth, self.max_iterations)
        model.fit(
            x_fit.to_numpy(),
            y_fit,
            eval_set=(x_val.to_numpy(), y_val),
            early_stopping_rounds=100,
            use_best_model=True,
        )
        auc = float(roc_auc_score(y_val, model.predict_proba(x_val.to_numpy())[:, 1]))
        return auc, depth, int(model.get_best_iteration() or 0) + 1

    def _catboost(self, depth: int, iterations: int):  # type: ignore[no-untyped-def]
        from catboost import CatBoostClassifier

        return CatBoostClassifier(
            iterations=iterations,
            depth=depth,
            learning_rate=self.learning_rate,
            eval_metric="AUC",
            random_seed=self.seed,
            thread_count=self.thread_count,
            verbose=0,
            allow_writing_files=False,
        )
