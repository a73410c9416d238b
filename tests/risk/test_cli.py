"""`vigil train features` and `vigil risk`: help, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import load_config
from vigil.context import RunContext
from vigil.risk.stage import run_stage
from vigil.warehouse.connection import open_warehouse

from .conftest import SMALL_MODEL
from .world import build_world, truth_csv

runner = CliRunner()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    config = tmp_path / "vigil.yaml"
    config.write_text(yaml.safe_dump({"risk": {"model": SMALL_MODEL}}))
    with open_warehouse(tmp_path / ".vigil" / "warehouse.duckdb") as con:
        regs = build_world(con, days=90)
    truth_csv(regs, str(tmp_path / "regressions.csv"))
    return tmp_path


@pytest.mark.parametrize("args", [["train", "features", "--help"], ["risk", "--help"]])
def test_help(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "--config" in result.output


def test_bad_config_exits_2_with_one_line(tmp_path: Path) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("risk:\n  horizon_dayz: 3\n")
    result = runner.invoke(app, ["train", "features", "-c", str(config)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {config}: unknown key 'risk.horizon_dayz'\n"


def test_missing_config_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "features", "-c", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "config file not found" in result.stderr


def test_missing_truth_file_exits_2(workspace: Path) -> None:
    result = runner.invoke(
        app,
        [
            "train",
            "features",
            "-c",
            str(workspace / "vigil.yaml"),
            "--truth",
            str(workspace / "missing.csv"),
        ],
    )
    assert result.exit_code == 2
    assert "ground-truth file not found" in result.stderr


def test_train_then_rank(workspace: Path) -> None:
    config = str(workspace / "vigil.yaml")
    result = runner.invoke(
        app,
        [
            "train",
            "features",
            "-c",
            config,
            "--json",
            "--truth",
            str(workspace / "regressions.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["model_version"] == 1 and metrics["promoted"] is True
    assert metrics["models"]["catboost"]["lead_time_act_now"]["regressions"] > 0
    assert set(metrics["new_onset"]) == {"model", "persistence", "recent_deploy"}
    assert set(metrics["new_onset_truth"]) == {"model", "persistence", "recent_deploy"}
    for part in ("new_onset", "all_rows", "new_onset_truth", "all_rows_truth"):
        for scorer in metrics[part].values():
            assert set(scorer) == {"pr_auc", "roc_auc", "lead_time_days"}
            assert set(scorer["pr_auc"]) == {"value", "ci90"}
            assert {"median", "ci90", "n_regressions"} <= set(scorer["lead_time_days"])
    rows = metrics["onset_evaluation"]["rows"]
    assert 0 < rows["new_onset"] < rows["test"] == metrics["models"]["catboost"]["rows"]
    assert metrics["new_onset"]["model"]["lead_time_days"]["n_regressions"] == rows["regressions"]
    hazard = metrics["deployment_hazard"]
    assert set(hazard) == {
        "reach",
        "decay_days",
        "base_intercept",
        "base_per_log_deploys_28d",
        "base_per_log_users",
    }
    assert 0 <= hazard["reach"] <= 1 and 0.25 <= hazard["decay_days"] <= 28
    estimate = metrics["performance_estimate"]
    assert estimate["last_realised"]["rows"] == rows["test"]
    assert estimate["current_estimate"]["days"] == 7  # the horizon's still-unlabelled days
    stored = json.loads((workspace / ".vigil" / "reports" / "metrics.json").read_text())
    assert stored["feature_risk"]["split"] == metrics["split"]
    result = runner.invoke(app, ["risk", "-c", config])
    assert result.exit_code == 1
    assert result.stderr == "Error: no feature-risk scores yet (run 'vigil run' to score)\n"
    cfg = load_config(config)
    with open_warehouse(cfg.warehouse_path) as con:
        summary = run_stage(RunContext(cfg, con, "run-1", cfg.reports_dir))
    assert summary["trained"] is None  # the CLI's model is the champion
    current = summary["performance_estimate"]  # re-estimated on the unlabelled days each run
    assert current["days"] == 7 and 0.0 <= current["pr_auc"] <= 1.0
    stored = json.loads((workspace / ".vigil" / "reports" / "metrics.json").read_text())
    assert stored["feature_risk"]["performance_estimate"]["current_estimate"] == current
    result = runner.invoke(app, ["risk", "-c", config, "--json", "--top", "3"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 3
    assert [r["impact"] for r in rows] == sorted((r["impact"] for r in rows), reverse=True)


def test_train_without_truth_says_new_onsets_are_not_measured(workspace: Path) -> None:
    config = str(workspace / "vigil.yaml")
    result = runner.invoke(app, ["train", "features", "-c", config, "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    for part in ("new_onset", "new_onset_truth", "all_rows", "all_rows_truth"):
        assert metrics[part]["available"] is False
        assert "no ground truth given" in metrics[part]["reason"]
    result = runner.invoke(app, ["train", "features", "-c", config])
    assert result.exit_code == 0, result.output
    assert "New onsets: not measured, no ground truth given" in result.stdout


def test_rank_bad_date_exits_2(workspace: Path) -> None:
    result = runner.invoke(app, ["risk", "-c", str(workspace / "vigil.yaml"), "--date", "x"])
    assert result.exit_code == 2
    assert result.stderr == "Error: --date 'x' is not a date (use YYYY-MM-DD)\n"
