"""Training the feature-risk model: time-ordered split, CatBoost vs baselines, calibration.

``train_feature_model`` is what ``vigil train features`` and the risk stage (when no champion
exists) call. Metrics go to ``<workspace>/reports/metrics.json`` under ``feature_risk``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import polars as pl

from vigil.config import VigilConfig
from vigil.errors import ModelError, VigilError
from vigil.modelling.metrics import summary
from vigil.modelling.split import TimeSplit, time_split
from vigil.risk import champion
from vigil.risk.baselines import ForestBaseline, LogisticBaseline, SlopeRule, persistence_score
from vigil.risk.dataset import FEATURES, LABEL, feature_days, has_asof_patch_risk
from vigil.risk.estimate import ESTIMATE_KEY, estimate, performance_report
from vigil.risk.evaluate import CalibratedScorer, Scorer, Slices, calibrated, evaluate
from vigil.risk.headline import OnsetEvaluation, evaluate_onsets, onset_metrics
from vigil.risk.metrics import read_truth
from vigil.risk.model import FeatureRiskModel
from vigil.risk.scoring import inputs_matrix
from vigil.risk.settings import RiskSettings

if TYPE_CHECKING:
    from vigil.registry import ModelVersion

log = logging.getLogger(__name__)

METRICS_KEY = "feature_risk"


@dataclass
class TrainingResult:
    """The trained model, how it was evaluated, and where it was registered."""

    model: FeatureRiskModel
    split: TimeSplit
    metrics: dict[str, Any]
    version: ModelVersion | None
    promoted: bool
    onsets: OnsetEvaluation | None = None
    """scored test rows and leads behind the new-onset report (None without truth)"""


def make_slices(frame: pl.DataFrame, split: TimeSplit) -> Slices:
    """Cut the labelled rows into slices; immature rows only ever reach the lead-time horizon."""
    mature = frame.filter(pl.col(LABEL).is_not_null())
    named = mature.with_columns(split.slice_of(pl.col("score_date")).alias("_slice"))
    part = {
        s: named.filter(pl.col("_slice") == s).drop("_slice")
        for s in ("train", "calibration", "test")
    }
    for name, rows in part.items():
        if rows[LABEL].n_unique() < 2:
            raise ModelError(
                f"the {name} slice ({rows.height} feature-days) holds only one outcome class; "
                "supply more history or loosen risk.thresholds"
            )
    horizon = frame.filter(pl.col("score_date") >= split.test_start)
    return Slices(part["train"], part["calibration"], part["test"], horizon)


def calm_rows(frame: pl.DataFrame, settings: RiskSettings) -> np.ndarray:
    """Feature-days not already elevated: the persistence score (largest 3-day rise over the
    baseline) stays below the latency label threshold. Inputs known at t only, never the label."""
    return np.asarray(persistence_score(frame) < settings.thresholds.latency_p95_ratio - 1)


def onset_weights(frame: pl.DataFrame, settings: RiskSettings) -> np.ndarray:
    """Training weights: ``onset_weight`` for calm feature-days (:func:`calm_rows`), else 1."""
    return np.where(calm_rows(frame, settings), settings.model.onset_weight, 1.0)


def _fit_model(slices: Slices, cfg: VigilConfig) -> FeatureRiskModel:
    """CatBoost on the train slice (onset-weighted), calibrated on the calibration slice."""
    s = cfg.risk
    return FeatureRiskModel(s.model, s.seed).fit(
        inputs_matrix(slices.train),
        slices.y("train"),
        features=FEATURES,
        X_cal=inputs_matrix(slices.calibration),
        y_cal=slices.y("calibration"),
        sample_weight=onset_weights(slices.train, s),
        calm=calm_rows(slices.train, s),
    )


def _fit_baselines(slices: Slices, cfg: VigilConfig) -> dict[str, Scorer]:
    """The baselines reported beside the model, fitted on the same train slice."""
    s = cfg.risk
    X, y = inputs_matrix(slices.train), slices.y("train")
    return {
        "logistic_regression": LogisticBaseline(s.seed).fit(X, y),
        "random_forest": ForestBaseline(s.model.forest_trees, s.seed).fit(X, y),
        "naive_p95_slope_7d": SlopeRule(FEATURES).fit(X, y),
    }


def _evaluate_all(
    model: FeatureRiskModel, slices: Slices, cfg: VigilConfig, truth: pl.DataFrame | None
) -> dict[str, Any]:
    """One report per scorer; each baseline gets its own calibrator on the calibration slice."""
    s = cfg.risk
    reports = {"catboost": evaluate("catboost", model, slices, s, truth)}
    for name, scorer in _fit_baselines(slices, cfg).items():
        calibrator = calibrated(scorer, slices, s.model.calibration)
        reports[name] = evaluate(name, CalibratedScorer(scorer, calibrator), slices, s, truth)
    return reports


def _champion_pr_auc(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig, slices: Slices
) -> float | None:
    """The current champion's PR-AUC on this run's test slice (None when there is none)."""
    current = champion.load_champion(con, cfg)
    if current is None:
        return None
    if current[0].features_ != FEATURES:
        return 0.0  # a champion built for other inputs cannot score this hold-out: it loses
    p = current[0].predict_proba(inputs_matrix(slices.test))
    value = summary(slices.y("test"), p)["pr_auc"]
    return None if value is None else float(value)


def asof_patch_risk(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> pl.DataFrame | None:
    """As-of patch risk to feed the inputs when the warehouse table is still empty.

    None means "read table patch_risk_asof" (the patches stage filled it) or "no score at all"
    (the patches package cannot score yet); the deployment risk inputs are then null.
    """
    if has_asof_patch_risk(con):
        return None
    try:
        from vigil.patches.asof import as_of_release_risk
    except ImportError:
        return None
    try:
        return as_of_release_risk(con, cfg)
    except VigilError as exc:
        log.warning("no as-of patch risk for the feature-risk inputs: %s", exc)
        return None


def _performance(
    con: duckdb.DuckDBPyConnection,
    cfg: VigilConfig,
    model: FeatureRiskModel,
    frame: pl.DataFrame,
    slices: Slices,
) -> dict[str, Any]:
    """The champion's realised test figures beside its CBPE estimate on the unlabelled days."""
    current = champion.load_champion(con, cfg)
    scorer = current[0] if current is not None and current[0].features_ == FEATURES else model
    version = current[1].version if scorer is not model and current is not None else None

    def scored(rows: pl.DataFrame) -> pl.DataFrame:
        p = scorer.predict_proba(inputs_matrix(rows, scorer.features_))
        return rows.select("score_date", LABEL).with_columns(pl.Series("p", p))

    unlabelled = frame.filter(pl.col(LABEL).is_null())
    report = performance_report(
        scored(slices.test), scored(unlabelled), LABEL, cfg.risk.tiers.act_now, cfg.risk.top_k
    )
    return {"champion_version": version, **report}


def refresh_current_estimate(
    cfg: VigilConfig, model: FeatureRiskModel, version: int, frame: pl.DataFrame
) -> dict[str, Any] | None:
    """Re-estimate the champion on today's still-unlabelled days (risk stage, every run).

    Updates ``current_estimate`` in reports/metrics.json when the stored estimate belongs to
    this champion; returns the new estimate (None when there is nothing to update).
    """
    path = cfg.reports_dir / "metrics.json"
    try:
        section = json.loads(path.read_text()).get(METRICS_KEY) if path.is_file() else None
    except (OSError, json.JSONDecodeError, AttributeError):
        section = None
    report = section.get(ESTIMATE_KEY) if isinstance(section, dict) else None
    unlabelled = frame.filter(pl.col(LABEL).is_null())
    if not isinstance(report, dict) or report.get("champion_version") != version:
        return None
    if unlabelled.height == 0:
        return None
    p = model.predict_proba(inputs_matrix(unlabelled, model.features_))
    scored = unlabelled.select("score_date").with_columns(pl.Series("p", p))
    report["current_estimate"] = estimate(scored, cfg.risk.tiers.act_now, cfg.risk.top_k)
    assert isinstance(section, dict)
    write_metrics(cfg.reports_dir, {**section, ESTIMATE_KEY: report})
    return dict(report["current_estimate"])


def write_metrics(reports_dir: Path, metrics: dict[str, Any]) -> Path:
    """Merge ``metrics`` into reports/metrics.json under ``feature_risk`` (other keys kept)."""
    path = reports_dir / "metrics.json"
    reports_dir.mkdir(parents=True, exist_ok=True)
    try:
        payload = json.loads(path.read_text()) if path.is_file() else {}
    except json.JSONDecodeError:
        payload = {}
    payload = payload if isinstance(payload, dict) else {}
    payload[METRICS_KEY] = metrics
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=str))
    tmp.replace(path)
    return path


def train_feature_model(
    con: duckdb.DuckDBPyConnection,
    cfg: VigilConfig,
    *,
    truth_path: Path | None = None,
    register: bool = True,
) -> TrainingResult:
    """Train, evaluate against baselines, write metrics, and register the model."""
    s = cfg.risk
    truth = read_truth(truth_path) if truth_path is not None else None
    frame = feature_days(con, s, asof_patch_risk(con, cfg))
    mature_dates = frame.filter(pl.col(LABEL).is_not_null())["score_date"]
    split = time_split(
        mature_dates,
        gap_days=s.horizon_days,
        test_share=s.test_share,
        calibration_share=s.calibration_share,
    )
    slices = make_slices(frame, split)
    model = _fit_model(slices, cfg)
    reports = _evaluate_all(model, slices, cfg, truth)
    metrics = _summary(frame, slices, split, s.horizon_days, reports)
    metrics["deployment_hazard"] = None if model.hazard_ is None else model.hazard_.describe()
    onsets = None if truth is None else evaluate_onsets(model, slices, truth, s.horizon_days)
    metrics |= onset_metrics(onsets)
    version, promoted = None, False
    if register:
        scores = (_champion_pr_auc(con, cfg, slices), reports["catboost"]["pr_auc"])
        version, promoted = champion.register_and_promote(
            con, cfg, model, split=split, metrics=metrics, scores=scores
        )
        metrics |= {"model_version": version.version, "promoted": promoted}
    metrics[ESTIMATE_KEY] = _performance(con, cfg, model, frame, slices)
    write_metrics(cfg.reports_dir, metrics)
    return TrainingResult(model, split, metrics, version, promoted, onsets)


def _summary(
    frame: pl.DataFrame, slices: Slices, split: TimeSplit, horizon: int, reports: dict[str, Any]
) -> dict[str, Any]:
    """The metrics document: split, row accounting, and one entry per model."""
    return {
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "horizon_days": horizon,
        "split": split.as_dict(),
        "rows": {
            "train": slices.train.height,
            "calibration": slices.calibration.height,
            "test": slices.test.height,
            "immature_excluded": frame.filter(pl.col(LABEL).is_null()).height,
            "positive_share_train": float(np.mean(slices.y("train"))),
        },
        "models": reports,
    }
