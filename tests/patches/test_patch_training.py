"""Training, registration and promotion, scoring, and the pipeline stage."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import VigilConfig
from vigil.context import RunContext
from vigil.errors import ModelError
from vigil.patches.features import load_patches
from vigil.patches.model import PatchRiskModel
from vigil.patches.scoring import score_patches
from vigil.patches.stage import run_stage
from vigil.patches.train import train_patch_model
from vigil.registry import ModelRegistry
from vigil.warehouse.connection import open_warehouse

from .patch_world import load_releases, releases, write_workspace


def test_predict_before_fit_is_clear_error() -> None:
    with pytest.raises(ModelError, match="PatchRiskModel is not fitted"):
        PatchRiskModel().predict_proba(np.zeros((1, 3)))


def test_single_class_training_is_refused() -> None:
    with pytest.raises(ModelError, match="training releases are all one class"):
        PatchRiskModel(iterations=10).fit(np.zeros((4, 2)), np.zeros(4), np.zeros(4), ["a", "b"])


def test_train_reports_baselines_and_registers_champion(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig
) -> None:
    load_releases(con, releases(40, mature_upto=36))
    report = train_patch_model(cfg, con)
    probabilistic = {"catboost", "catboost_uncalibrated", "random_forest", "logistic_regression"}
    assert set(report["classifier"]) == probabilistic
    assert set(report["regressor"]) == {"catboost", "random_forest", "ridge"}
    for metrics in report["classifier"].values():
        assert {"roc_auc", "pr_auc", "accuracy", "recall", "precision"} <= set(metrics)
    split = report["split"]
    # 36 mature weekly releases: test the newest 9 (from day 189); with the 30-day gap only
    # releases up to day 159 train (16) or calibrate (7)
    assert split["n_excluded_immature"] == 4
    assert (split["n_train"], split["n_calibration"], split["n_test"]) == (16, 7, 9)
    window = dt.timedelta(days=cfg.patches.outcome_window_days)
    assert split["gap_days"] == 30
    assert split["train_end"] < split["calibration_start"]
    assert split["calibration_end"] + window <= split["test_start"]
    rules = {"churn_rule", "prev_error_rate_rule"}
    assert set(report["models"]) == probabilistic | rules
    assert set(report["models"]["churn_rule"]) == {"roc_auc", "pr_auc"}
    assert set(report["models"]["catboost"]) == {"roc_auc", "pr_auc", "brier", "ece"}
    assert set(report["catch_curve"]) == probabilistic | rules | {"random"}
    assert set(report["catch_curve"]["catboost"]) == {"5", "10", "20", "50"}
    for metric in report["models"]["catboost"].values():
        low, high = metric["ci90"]
        assert low <= metric["value"] <= high
    calibration = report["calibration"]
    assert calibration["method"] == "platt" and calibration["n_calibration"] == 7
    assert sum(b["count"] for b in calibration["reliability"]) == 9
    assert calibration["brier"] == report["models"]["catboost"]["brier"]
    assert report["promotion"] == {
        "promoted": True,
        "alias": "champion",
        "reason": "no champion yet",
    }
    written = json.loads((cfg.reports_dir / "patch_metrics.json").read_text())
    assert written["version"] == 1
    mv = ModelRegistry(con, cfg.models_dir).get("patch_risk")
    assert mv is not None and mv.version == 1
    assert mv.train_end == split["calibration_end"]  # the last label the model has seen
    assert mv.metrics["roc_auc"] == report["classifier"]["catboost"]["roc_auc"]


def test_second_training_follows_the_promotion_rule(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig
) -> None:
    load_releases(con, releases(32))
    train_patch_model(cfg, con)
    load_releases(con, releases(16, first=32, seed=5), replace=False)
    report = train_patch_model(cfg, con)
    promo = report["promotion"]
    assert report["version"] == 2 and promo["previous_champion"] == 1
    assert promo["n_fresh"] > 0  # compared on test releases the champion never trained on
    margin = cfg.patches.promotion_margin
    assert promo["promoted"] is (promo["challenger"] >= promo["champion"] + margin)
    aliases = ModelRegistry(con, cfg.models_dir).aliases("patch_risk")
    assert aliases == ({"champion": 2} if promo["promoted"] else {"champion": 1, "challenger": 2})


def test_too_few_mature_releases(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> None:
    load_releases(con, releases(20, mature_upto=5))
    with pytest.raises(ModelError, match="only 5 releases have mature outcomes; need 12"):
        train_patch_model(cfg, con)


def test_score_patches_adds_risk_tier_reasons(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig
) -> None:
    load_releases(con, releases(30))
    train_patch_model(cfg, con)
    scored = score_patches(pl.DataFrame(releases(5, seed=9, first=50)), cfg)
    assert {"risk", "tier", "reasons", "expected_error_rate_per_10k"} <= set(scored.columns)
    assert scored["risk"].is_between(0, 1).all()
    block, marginal = cfg.patches.gate.block, cfg.patches.gate.marginal
    for risk, tier in zip(scored["risk"], scored["tier"], strict=True):
        assert tier == ("high" if risk >= block else "marginal" if risk >= marginal else "low")
    assert all(r for r in scored["reasons"])


def test_score_without_model_names_the_command(cfg: VigilConfig) -> None:
    with pytest.raises(ModelError, match=r"run 'vigil train patches -c vigil.yaml'"):
        score_patches(pl.DataFrame(releases(2)), cfg)


def ctx(cfg: VigilConfig, con: duckdb.DuckDBPyConnection) -> RunContext:
    return RunContext(cfg=cfg, con=con, run_id="r1", report_dir=cfg.reports_dir)


def test_stage_on_empty_warehouse(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> None:
    summary = run_stage(ctx(cfg, con))
    assert summary == {"status": "skipped", "releases": 0, "message": "no releases in dim_release"}


def test_stage_says_why_it_cannot_train(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> None:
    load_releases(con, releases(8))
    summary = run_stage(ctx(cfg, con))
    assert summary["status"] == "skipped"
    assert (
        summary["message"] == "no patch model: 8 releases have mature outcomes, training needs 12"
    )


def test_stage_trains_then_scores_every_release(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig
) -> None:
    load_releases(con, releases(30, mature_upto=26))
    summary = run_stage(ctx(cfg, con))
    assert summary["trained"]["version"] == 1 and summary["scored"] == 30
    patches = load_patches(con)
    assert patches["risk"].null_count() == 0 and patches["model_version"].unique().to_list() == [1]
    again = run_stage(ctx(cfg, con))  # a champion exists now: no second training
    assert "trained" not in again and again["scored"] == 30
    assert len(ModelRegistry(con, cfg.models_dir).list("patch_risk")) == 1


def test_train_patches_cli(tmp_path: Path) -> None:
    config = write_workspace(tmp_path)
    from vigil.config import load_config

    with open_warehouse(load_config(config).warehouse_path) as con:
        load_releases(con, releases(24))
    result = CliRunner().invoke(app, ["train", "patches", "-c", str(config)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["version"] == 1
    registered, summary, label = result.stderr.strip().splitlines()
    assert registered == "patch_risk v1 registered as champion"
    brier = report["models"]["catboost"]["brier"]
    assert summary.startswith("test: 6 releases after a 30-day gap; ROC-AUC ")
    low, high = brier["ci90"]
    assert f"; Brier {brier['value']:.3f} (90% CI {low:.3f}-{high:.3f}); ECE " in summary
    # no device events: the relative label falls back to percentile mode, and says so
    n_train, share = report["split"]["n_train"], report["label"]["positive_share"]
    threshold = report["label"]["threshold_per_10k"]
    assert label == (
        f"label (percentile): high risk: error rate >= {threshold:.4g} per 10k (the 0.8 "
        f"quantile of training); fallback: only 0 of {n_train} training releases have a "
        "pre-release error rate (device events before the release): labelled by percentile of "
        f"error rate; high-risk share train {share['train']:.0%}, calibration "
        f"{share['calibration']:.0%}, test {share['test']:.0%}"
    )
