"""The headline evaluation: the model beside persistence and recent-risky-deployment, on new onsets.

Every scorer ranks the test slice; the headline keeps only new-onset rows (no true regression
active at t, see :mod:`vigil.risk.onsets`), with all rows beside it. For lead time each scorer
flags a feature-day when its score exceeds a threshold set on the *calibration* slice so that it
flags as many feature-days there as there were degrading ones: every scorer gets the same alert
budget, and nothing is chosen on the test slice.

Two targets are reported on the same rows: the telemetry-derived label the model is trained on
(``degrading``), and the *truth target* (``upcoming``: a true regression of the feature starts
within the horizon), the headline of docs/protocols/feature_risk_new_onset.md. The telemetry
label is noisy on new-onset rows (metric wander crosses its thresholds with no regression behind
it); the truth target is what a warning is for. Only evaluation reads the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from vigil.risk.baselines import persistence_score, recent_deploy_score
from vigil.risk.dataset import LABEL
from vigil.risk.evaluate import Slices
from vigil.risk.model import FeatureRiskModel
from vigil.risk.onsets import (
    KEY,
    active_rows,
    lead_summary,
    paired_difference,
    ranking_metrics,
    regression_leads,
    upcoming_rows,
)
from vigil.risk.scoring import inputs_matrix

SCORERS = ("model", "persistence", "recent_deploy")
PROTOCOL = (
    "time-ordered train / calibration / test split on score date with a gap of the label horizon "
    "between slices; the model's hyper-parameters are fixed in config and calibrated on the "
    "calibration slice only. New-onset rows: test feature-days with no true regression active "
    "(effective start = early_onset_date if set else onset_date <= t <= end_date). "
    "PR-AUC / ROC-AUC 90% intervals: bootstrap over (world, score date) blocks. Lead time: days "
    "from the first flag (score above a threshold set on the calibration slice to flag as many "
    "feature-days as were degrading there) to the onset, for regressions whose look-back was "
    "scored; median over detected regressions, 90% interval by bootstrap over regressions. Lead "
    "time is per regression, so it is the same figure under new_onset and all_rows. Keys without "
    "a suffix score the telemetry-derived label (degrading); keys ending in _truth score the truth "
    "target (a true regression of the feature starts in (t, t + horizon])."
)
TARGETS = {"": LABEL, "_truth": "upcoming"}
"""report-key suffix -> target column of the scored test rows"""


def _scores(model: FeatureRiskModel, frame: pl.DataFrame) -> dict[str, np.ndarray]:
    return {
        "model": model.predict_proba(inputs_matrix(frame, model.features_)),
        "persistence": persistence_score(frame),
        "recent_deploy": recent_deploy_score(frame),
    }


def _threshold(score: np.ndarray, positive_share: float) -> float:
    """The score above which the top ``positive_share`` of the rows lie."""
    return float(np.quantile(score, 1.0 - positive_share))


@dataclass(frozen=True)
class OnsetScores:
    """Scores of the test slice and daily flags from the test start on, per scorer."""

    test: pl.DataFrame
    """feature_id, score_date, degrading, one column per scorer"""
    flags: pl.DataFrame
    """feature_id, score_date, one boolean column per scorer"""
    thresholds: dict[str, float]


def onset_scores(model: FeatureRiskModel, slices: Slices) -> OnsetScores:
    """Score test and horizon rows with the model and both rules (thresholds from calibration)."""
    share = float(np.mean(slices.y("calibration")))
    calibration = _scores(model, slices.calibration)
    thresholds = {name: _threshold(calibration[name], share) for name in SCORERS}
    key = ["feature_id", "score_date"]
    test = slices.test.select(*key, LABEL).with_columns(
        pl.Series(name, values) for name, values in _scores(model, slices.test).items()
    )
    horizon = _scores(model, slices.horizon)
    flags = slices.horizon.select(*key).with_columns(
        pl.Series(name, horizon[name] > thresholds[name]) for name in SCORERS
    )
    return OnsetScores(test, flags, thresholds)


def with_onset_flag(test: pl.DataFrame, truth: pl.DataFrame, horizon: int) -> pl.DataFrame:
    """``test`` plus ``new_onset`` (no true regression of the feature active at t) and
    ``upcoming`` (the truth target: a true regression of the feature starts in (t, t + horizon])."""
    return test.with_columns(
        (~active_rows(test, truth)).alias("new_onset"), upcoming_rows(test, truth, horizon)
    )


def scorer_leads(flags: pl.DataFrame, truth: pl.DataFrame, lookback: int) -> pl.DataFrame:
    """regression_id, lead_days per scorer (column ``scorer``), from each scorer's flags."""
    frames = [
        regression_leads(flags.select(*KEY, flagged=pl.col(name)), truth, lookback)
        .select("regression_id", "lead_days")
        .with_columns(pl.lit(name).alias("scorer"))
        for name in SCORERS
    ]
    return pl.concat(frames)


def _target_report(
    test: pl.DataFrame, leads: pl.DataFrame, target: str, block: str, suffix: str
) -> dict[str, Any]:
    """new_onset / all_rows metrics and the paired differences for one target column."""
    fresh = test.filter(pl.col("new_onset"))
    report: dict[str, Any] = {f"new_onset{suffix}": {}, f"all_rows{suffix}": {}}
    for name in SCORERS:
        lead = lead_summary(leads.filter(pl.col("scorer") == name))
        for part, rows in (("new_onset", fresh), ("all_rows", test)):
            metrics = ranking_metrics(
                rows[target].cast(pl.Int8).to_numpy(), rows[name].to_numpy(), rows[block].to_numpy()
            )
            report[f"{part}{suffix}"][name] = {
                "pr_auc": metrics["pr_auc"],
                "roc_auc": metrics["roc_auc"],
                "lead_time_days": lead,
            }
    report[f"model_minus_baseline_new_onset{suffix}"] = {
        name: paired_difference(
            fresh[target].cast(pl.Int8).to_numpy(),
            fresh["model"].to_numpy(),
            fresh[name].to_numpy(),
            fresh[block].to_numpy(),
        )
        for name in SCORERS[1:]
    }
    base = float(fresh[target].mean()) if fresh.height else None  # type: ignore[arg-type]
    report[f"base_rate_new_onset{suffix}"] = base
    return report


def summarise(
    test: pl.DataFrame, leads: pl.DataFrame, *, block: str = "score_date"
) -> dict[str, Any]:
    """The report from scored test rows (with ``new_onset`` and ``upcoming``) and leads.

    Per target (see :data:`TARGETS`): ``new_onset``, ``all_rows``,
    ``model_minus_baseline_new_onset`` and ``base_rate_new_onset``, suffixed ``_truth`` for the
    truth target. ``block`` names the column whose values are resampled whole by the bootstrap.
    """
    report: dict[str, Any] = {}
    for suffix, target in TARGETS.items():
        report |= _target_report(test, leads, target, block, suffix)
    fresh = test.filter(pl.col("new_onset"))
    report["rows"] = {
        "test": test.height,
        "new_onset": fresh.height,
        "new_onset_positives": int(fresh[LABEL].sum()),
        "new_onset_upcoming": int(fresh["upcoming"].sum()),
        "regressions": leads.filter(pl.col("scorer") == SCORERS[0]).height,
    }
    return report


@dataclass(frozen=True)
class OnsetEvaluation:
    """Scored test rows (with ``new_onset`` and ``upcoming``), each scorer's regression leads,
    and the lead-time thresholds."""

    test: pl.DataFrame
    leads: pl.DataFrame
    thresholds: dict[str, float]


def evaluate_onsets(
    model: FeatureRiskModel, slices: Slices, truth: pl.DataFrame, lookback: int
) -> OnsetEvaluation:
    """Score the slices with the model and both rules and mark new-onset rows against ``truth``.

    ``lookback`` is the label horizon: it bounds both the lead-time look-back and the truth
    target's window."""
    scored = onset_scores(model, slices)
    test = with_onset_flag(scored.test, truth, lookback)
    return OnsetEvaluation(test, scorer_leads(scored.flags, truth, lookback), scored.thresholds)


NO_TRUTH = (
    "no ground truth given (pass --truth <world>/truth/regressions.csv): new-onset rows and "
    "lead times need the injected regressions, so they are not reported"
)


def onset_metrics(evaluation: OnsetEvaluation | None) -> dict[str, Any]:
    """Top-level metrics keys ``new_onset``, ``all_rows`` and their ``_truth`` twins (or why
    they are missing)."""
    if evaluation is None:
        missing = {"available": False, "reason": NO_TRUTH}
        return {
            f"{part}{suffix}": missing for part in ("new_onset", "all_rows") for suffix in TARGETS
        }
    report = summarise(evaluation.test, evaluation.leads)
    tops = [f"{part}{suffix}" for suffix in TARGETS for part in ("new_onset", "all_rows")]
    inner = [
        f"{key}{suffix}"
        for suffix in TARGETS
        for key in ("base_rate_new_onset", "model_minus_baseline_new_onset")
    ]
    return {
        **{key: report[key] for key in tops},
        "onset_evaluation": {
            "protocol": PROTOCOL,
            "thresholds": evaluation.thresholds,
            "rows": report["rows"],
            **{key: report[key] for key in inner},
        },
    }
