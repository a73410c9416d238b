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
from vigil.modelling.metrics import at_threshold
from vigil.outcomes.training import labelled, select_label, with_outcome_label
from vigil.patches import scorecard
from vigil.patches.features import build_patch_tables, load_patches
from vigil.patches.holdout import calibration_summary, fit_hold_out, matrix
from vigil.patches.inputs import MODEL_FEATURES, MODEL_NAME
from vigil.patches.label import Label
from vigil.patches.model import PatchRiskModel
from vigil.patches.split import Split, mature, time_split
from vigil.registry import ModelRegistry, ModelVersion

log = logging.getLogger(__name__)

REPORT_FILE = "patch_metrics.json"


def _fit_all(cfg: VigilConfig, split: Split, label: Label) -> tuple[PatchRiskModel, dict[str, Any]]:
    """Fit, calibrate and score on test; metrics with bootstrap intervals and the catch curve."""
    hold = fit_hold_out(cfg, split, label)
    card = scorecard.evaluate(
        hold.y,
        hold.scores,
        set(hold.probs),
        np.zeros(len(hold.y)),
        n_boot=cfg.patches.model.bootstrap,
        seed=cfg.patches.seed,
    )
    platt = hold.model.calibration_
    calibration = {
        "method": "platt",
        "fitted_on": "calibration slice: the releases after train, before the gap to test",
        "a": platt.a,
        "b": platt.b,
        "n_calibration": platt.n,
        "n_calibration_high_risk": platt.n_positive,
        **calibration_summary(hold.y, hold.probs, card["models"]),
    }
    results = {"classifier": hold.classifier, "regressor": hold.regressor, **card}
    return hold.model, {**results, "calibration": calibration}


def _hold_out_scores(
    cfg: VigilConfig,
    champion: ModelVersion,
    model: PatchRiskModel,
    test: pl.DataFrame,
    label: Label,
) -> dict[str, Any]:
    """Champion and challenger on one fresh hold-out: test releases after the champion's window
    (labelled by the challenger's label rule, so both are judged on the same labels)."""
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
    y = label.apply(fresh)
    old = PatchRiskModel.load(champion)
    block = cfg.patches.gate.block
    out["champion"] = at_threshold(y, old.predict_proba(matrix(fresh, old.features_)), block)[
        metric
    ]
    out["challenger"] = at_threshold(y, model.predict_proba(matrix(fresh, model.features_)), block)[
        metric
    ]
    return out


def train_patch_model(
    cfg: VigilConfig, con: duckdb.DuckDBPyConnection, *, rebuild: bool = True
) -> dict[str, Any]:
    """Train, compare with baselines, register and apply the promotion rule; returns the report."""
    if rebuild:
        build_patch_tables(con, cfg.patches)
    patches = with_outcome_label(con, cfg, load_patches(con))
    releases = labelled(mature(patches))
    min_releases = cfg.patches.model.min_releases
    if releases.height < min_releases:
        raise ModelError(
            f"only {releases.height} releases have mature outcomes; need {min_releases} "
            "(wait for outcome windows to close or lower patches.model.min_releases)"
        )
    m = cfg.patches.model
    split = time_split(releases, m.test_share, cfg.patches.gap_days, m.calibration_share)
    label = select_label(cfg, split.train)
    log.info("patch label: %s", label.describe())
    model, results = _fit_all(cfg, split, label)
    report = _report(patches, releases, split, label, results)
    registry = ModelRegistry(con, cfg.models_dir)
    mv = _register(registry, model, report, split)
    report["version"] = mv.version
    report["promotion"] = _promote(cfg, registry, mv, model, split.test, label)
    write_report(cfg, REPORT_FILE, report)
    return report


def _report(
    patches: pl.DataFrame,
    releases: pl.DataFrame,
    split: Split,
    label: Label,
    results: dict[str, Any],
) -> dict[str, Any]:
    return {
        "model": MODEL_NAME,
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "features": list(MODEL_FEATURES),
        "label": {**label.as_dict(), "positive_share": positive_shares(split, label)},
        "split": {
            "n_releases": patches.height,
            "n_excluded_immature": patches.height - releases.height,
            **split.as_dict(),
        },
        **results,
    }


def positive_shares(split: Split, label: Label) -> dict[str, float | None]:
    """Share of high-risk releases in train, calibration and test: a label that drifts with
    the fleet shows here first."""
    out: dict[str, float | None] = {}
    for name, part in zip(("train", "calibration", "test"), split.parts, strict=True):
        out[name] = round(float(label.apply(part).mean()), 4) if part.height else None
    return out


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
    label: Label,
) -> dict[str, Any]:
    champion = registry.get(MODEL_NAME)
    if champion is None:
        registry.set_alias(MODEL_NAME, "champion", mv.version, "first model", action="promote")
        return {"promoted": True, "alias": "champion", "reason": "no champion yet"}
    scores = _hold_out_scores(cfg, champion, model, test, label)
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
