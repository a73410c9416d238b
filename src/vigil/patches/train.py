"""`vigil train patches`: fit on mature releases in time order, compare baselines, register.

The new version becomes champion when there is none; otherwise it is challenger and replaces
the champion only when it beats it on the same fresh hold-out (test releases newer than the
champion's training window) by ``patches.promotion_margin``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl

from vigil.config import VigilConfig
from vigil.errors import ModelError
from vigil.patches import baselines, scorecard
from vigil.patches.features import build_patch_tables, load_patches
from vigil.patches.inputs import MODEL_FEATURES, MODEL_NAME, encode_row
from vigil.patches.metrics import classification_metrics, regression_metrics
from vigil.patches.model import PatchRiskModel
from vigil.patches.split import Split, high_risk_threshold, labels, mature, time_split
from vigil.registry import ModelRegistry, ModelVersion

log = logging.getLogger(__name__)

REPORT_FILE = "patch_metrics.json"
OUTCOME = "error_rate_per_10k"
RULES = {"churn_rule": "code_churn", "prev_error_rate_rule": "prev_error_rate"}
"""No-model baselines: gate the biggest changes, or the releases after the worst ones."""


def matrix(df: pl.DataFrame, features: list[str] | tuple[str, ...]) -> np.ndarray:
    """Encode release rows as the model's input matrix (same encoder as the gate)."""
    rows = [encode_row(row, features) for row in df.iter_rows(named=True)]
    return np.asarray(rows, dtype=float).reshape(len(rows), len(features))


def _model(cfg: VigilConfig) -> PatchRiskModel:
    m = cfg.patches.model
    return PatchRiskModel(m.iterations, m.depth, m.learning_rate, cfg.patches.seed, m.threads)


def rule_score(df: pl.DataFrame, column: str) -> np.ndarray:
    """A no-model baseline: the larger ``column``, the riskier (missing values: the median)."""
    values = df[column].cast(pl.Float64).to_numpy().copy()
    missing = np.isnan(values)
    values[missing] = np.nanmedian(values) if not missing.all() else 0.0
    return values


def _fit_all(
    cfg: VigilConfig, split: Split, threshold: float
) -> tuple[PatchRiskModel, dict[str, Any]]:
    """Fit CatBoost and the baselines on train, calibrate CatBoost on the calibration slice;
    metrics of each on test."""
    features = list(MODEL_FEATURES)
    X, Xc, Xt = (matrix(part, features) for part in (split.train, split.calibration, split.test))
    y, yc, yt = (labels(part[OUTCOME], threshold) for part in split.parts)
    rate, rate_t = split.train[OUTCOME].to_numpy(), split.test[OUTCOME].to_numpy()
    seed, block = cfg.patches.seed, cfg.patches.gate.block
    model = _model(cfg).fit(X, y, rate, features).calibrate(Xc, yc)
    probs = {
        "catboost": model.predict_proba(Xt),
        "catboost_uncalibrated": model.predict_uncalibrated(Xt),
    }
    for name, est in baselines.classifiers(seed).items():
        probs[name] = baselines.fit_predict_proba(est, X, y, Xt)
    clf = {name: classification_metrics(yt, p, block) for name, p in probs.items()}
    reg = {"catboost": regression_metrics(rate_t, model.predict_rate(Xt))}
    for name, est in baselines.regressors(seed).items():
        reg[name] = regression_metrics(rate_t, baselines.fit_predict(est, X, rate, Xt))
    scores = {**probs, **{name: rule_score(split.test, c) for name, c in RULES.items()}}
    card = scorecard.evaluate(
        yt, scores, set(probs), np.zeros(len(yt)), n_boot=cfg.patches.model.bootstrap, seed=seed
    )
    calibration = calibration_report(model, yt, probs, card["models"])
    return model, {"classifier": clf, "regressor": reg, **card, "calibration": calibration}


def calibration_report(
    model: PatchRiskModel,
    y: np.ndarray,
    probs: dict[str, np.ndarray],
    models: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """The Platt map and, on the test releases, the reliability curve, Brier and ECE of the
    calibrated model beside CatBoost's own probabilities."""
    platt = model.calibration_
    return {
        "method": "platt",
        "fitted_on": "calibration slice: the releases after train, before the gap to test",
        "a": platt.a,
        "b": platt.b,
        "n_calibration": platt.n,
        "n_calibration_high_risk": platt.n_positive,
        "reliability": scorecard.reliability(y, probs["catboost"]),
        "brier": models["catboost"]["brier"],
        "ece": models["catboost"]["ece"],
        "uncalibrated": {
            "reliability": scorecard.reliability(y, probs["catboost_uncalibrated"]),
            "brier": models["catboost_uncalibrated"]["brier"],
            "ece": models["catboost_uncalibrated"]["ece"],
        },
    }


def _hold_out_scores(
    cfg: VigilConfig,
    champion: ModelVersion,
    model: PatchRiskModel,
    test: pl.DataFrame,
    threshold: float,
) -> dict[str, Any]:
    """Champion and challenger on one fresh hold-out: test releases after the champion's window."""
    metric = cfg.patches.promotion_metric
    fresh = (
        test
        if champion.train_end is None
        else test.filter(pl.col("release_date") > champion.train_end)
    )
    out: dict[str, Any] = {
        "metric": metric,
        "n_fresh": fresh.height,
        "champion": None,
        "challenger": None,
    }
    if fresh.height == 0:
        return out
    y = labels(fresh["error_rate_per_10k"], threshold)
    old = PatchRiskModel.load(champion)
    block = cfg.patches.gate.block
    out["champion"] = classification_metrics(
        y, old.predict_proba(matrix(fresh, old.features_)), block
    )[metric]
    out["challenger"] = classification_metrics(
        y, model.predict_proba(matrix(fresh, model.features_)), block
    )[metric]
    return out


def train_patch_model(
    cfg: VigilConfig, con: duckdb.DuckDBPyConnection, *, rebuild: bool = True
) -> dict[str, Any]:
    """Train, compare with baselines, register and apply the promotion rule; returns the report."""
    if rebuild:
        build_patch_tables(con, cfg.patches)
    patches = load_patches(con)
    releases = mature(patches)
    min_releases = cfg.patches.model.min_releases
    if releases.height < min_releases:
        raise ModelError(
            f"only {releases.height} releases have mature outcomes; need {min_releases} "
            "(wait for outcome windows to close or lower patches.model.min_releases)"
        )
    m = cfg.patches.model
    split = time_split(releases, m.test_share, cfg.patches.gap_days, m.calibration_share)
    threshold = high_risk_threshold(split.train[OUTCOME], cfg.patches.high_risk)
    model, results = _fit_all(cfg, split, threshold)
    report = _report(cfg, patches, releases, split, threshold, results)
    registry = ModelRegistry(con, cfg.models_dir)
    mv = _register(registry, model, report, split)
    report["version"] = mv.version
    report["promotion"] = _promote(cfg, registry, mv, model, split.test, threshold)
    write_report(cfg, REPORT_FILE, report)
    return report


def _report(
    cfg: VigilConfig,
    patches: pl.DataFrame,
    releases: pl.DataFrame,
    split: Split,
    threshold: float,
    results: dict[str, Any],
) -> dict[str, Any]:
    return {
        "model": MODEL_NAME,
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "features": list(MODEL_FEATURES),
        "label": {**cfg.patches.high_risk.model_dump(), "threshold_per_10k": threshold},
        "split": {
            "n_releases": patches.height,
            "n_excluded_immature": patches.height - releases.height,
            **split.as_dict(),
        },
        **results,
    }


def _register(
    registry: ModelRegistry, model: PatchRiskModel, report: dict[str, Any], split: Split
) -> ModelVersion:
    metrics = {
        **report["classifier"]["catboost"],
        "r2": report["regressor"]["catboost"]["r2"],
        "brier": report["calibration"]["brier"]["value"],
        "ece": report["calibration"]["ece"]["value"],
    }
    params = {"label": report["label"], "split": report["split"], "features": report["features"]}
    start, end = split.train_window
    with tempfile.TemporaryDirectory() as tmp:
        folder = model.save(Path(tmp))
        return registry.register(
            MODEL_NAME,
            folder,
            metrics=metrics,
            features=model.features_,
            train_start=start,
            train_end=end,
            params=json.loads(json.dumps(params, default=str)),
        )


def _promote(
    cfg: VigilConfig,
    registry: ModelRegistry,
    mv: ModelVersion,
    model: PatchRiskModel,
    test: pl.DataFrame,
    threshold: float,
) -> dict[str, Any]:
    champion = registry.get(MODEL_NAME)
    if champion is None:
        registry.set_alias(MODEL_NAME, "champion", mv.version, "first model", action="promote")
        return {"promoted": True, "alias": "champion", "reason": "no champion yet"}
    scores = _hold_out_scores(cfg, champion, model, test, threshold)
    promoted = registry.promote_if_better(
        MODEL_NAME,
        mv.version,
        metric=scores["metric"],
        margin=cfg.patches.promotion_margin,
        champion_score=scores["champion"],
        challenger_score=scores["challenger"],
    )
    alias = "champion" if promoted else "challenger"
    return {"promoted": promoted, "alias": alias, "previous_champion": champion.version, **scores}


def write_report(cfg: VigilConfig, filename: str, report: dict[str, Any]) -> Path:
    """Write a JSON report under the workspace's reports folder."""
    cfg.reports_dir.mkdir(parents=True, exist_ok=True)
    path = cfg.reports_dir / filename
    path.write_text(json.dumps(report, indent=2, default=str), "utf-8")
    return path
