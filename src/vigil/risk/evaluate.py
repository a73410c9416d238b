"""One report for the model and its baselines on the same time-ordered slices."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import polars as pl

from vigil.modelling.calibration import Calibrator
from vigil.modelling.metrics import summary
from vigil.risk.dataset import LABEL
from vigil.risk.metrics import lead_times, recall_at_k
from vigil.risk.scoring import inputs_matrix
from vigil.risk.settings import RiskSettings

log = logging.getLogger(__name__)


class Scorer(Protocol):
    """Anything that turns inputs into a real-valued score."""

    def decision(self, X: np.ndarray) -> np.ndarray: ...


class Probabilistic(Protocol):
    """Anything that turns inputs into calibrated probabilities."""

    def predict_proba(self, X: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class CalibratedScorer:
    """A baseline's score passed through its own calibrator."""

    scorer: Scorer
    calibrator: Calibrator

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.calibrator.predict(self.scorer.decision(X))


@dataclass(frozen=True)
class Slices:
    """The labelled slices plus every scored row from the test start on (for lead time)."""

    train: pl.DataFrame
    calibration: pl.DataFrame
    test: pl.DataFrame
    horizon: pl.DataFrame

    def y(self, name: str) -> np.ndarray:
        frame: pl.DataFrame = getattr(self, name)
        return frame[LABEL].cast(pl.Int8).to_numpy()


def calibrated(scorer: Scorer, slices: Slices, kind: str) -> Calibrator:
    """A calibrator for ``scorer`` fitted on the calibration slice."""
    scores = scorer.decision(inputs_matrix(slices.calibration))
    return Calibrator(kind).fit(scores, slices.y("calibration"))  # type: ignore[arg-type]


def _lead(
    frame: pl.DataFrame, risk: np.ndarray, flag: pl.Expr, truth: pl.DataFrame | None, lookback: int
) -> dict[str, Any] | None:
    if truth is None:
        return None
    flags = frame.select("feature_id", "score_date").with_columns(pl.Series("risk", risk))
    return lead_times(flags.with_columns(flag.alias("flagged")), truth, lookback)


def evaluate(
    name: str,
    model: Probabilistic,
    slices: Slices,
    settings: RiskSettings,
    truth: pl.DataFrame | None,
) -> dict[str, Any]:
    """Test metrics, top-k recall and lead times for one scorer."""
    p_test = model.predict_proba(inputs_matrix(slices.test))
    report: dict[str, Any] = summary(slices.y("test"), p_test)
    scored_test = slices.test.with_columns(pl.Series("p", p_test))
    report["recall_at_k"] = recall_at_k(scored_test, "p", LABEL, settings.top_k)
    risk = model.predict_proba(inputs_matrix(slices.horizon))
    top_k = pl.col("risk").rank("ordinal", descending=True).over("score_date") <= settings.top_k
    report["lead_time_act_now"] = _lead(
        slices.horizon,
        risk,
        pl.col("risk") >= settings.tiers.act_now,
        truth,
        settings.horizon_days,
    )
    report["lead_time_top_k"] = _lead(slices.horizon, risk, top_k, truth, settings.horizon_days)
    log.info(
        "%s: roc_auc=%s pr_auc=%s brier=%.4f",
        name,
        report["roc_auc"],
        report["pr_auc"],
        report["brier"],
    )
    return report
