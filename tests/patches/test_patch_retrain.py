"""`vigil retrain`: drift -> retrain, decay -> retrain, identical data -> none, --force."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import VigilConfig, load_config
from vigil.patches.retrain import retrain
from vigil.patches.train import train_patch_model
from vigil.warehouse.connection import open_warehouse

from .patch_world import load_releases, make_cfg, releases, write_workspace


def drift_cfg(root: Path) -> VigilConfig:
    cfg = make_cfg(root)
    return cfg.model_copy(update={"drift": cfg.drift.model_copy(update={"min_rows": 5})})


def trained(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, n: int = 30) -> None:
    load_releases(con, releases(n))
    train_patch_model(cfg, con)


def test_identical_data_does_not_retrain(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    cfg = drift_cfg(tmp_path)
    trained(con, cfg)
    first = retrain(cfg, con)
    assert (first["retrained"], first["triggers"]) == (False, [])
    assert first["reason"] == "no trigger fired: no drift, no decay"
    second = retrain(cfg, con)
    assert second["retrained"] is False
    assert second["reason"] == "data and champion unchanged since the last check"
    report = json.loads((cfg.reports_dir / "patch_retrain.json").read_text())
    assert report["retrained"] is False and report["promoted"] is False


def test_forced_retrain(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    cfg = drift_cfg(tmp_path)
    trained(con, cfg)
    report = retrain(cfg, con, force=True)
    assert report["triggers"] == ["forced"]
    assert report["retrained"] is True and report["new_version"] == 2
    assert report["promoted"] is report["promotion"]["promoted"]


def test_drift_in_new_releases_triggers_retrain(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    cfg = drift_cfg(tmp_path)
    trained(con, cfg)
    load_releases(con, releases(12, first=30, seed=4, mature_upto=0, churn_scale=10), replace=False)
    report = retrain(cfg, con)
    assert "drift" in report["triggers"] and report["retrained"] is True
    drifted = {c["column"] for c in report["drift"]["drifted_columns"]}
    assert "code_churn" in drifted
    assert report["decay"]["checked"] is False  # the new releases have no outcomes yet
    again = retrain(cfg, con)
    assert again["retrained"] is False  # nothing new since the retrain


def test_decay_on_newly_matured_releases_triggers_retrain(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    cfg = drift_cfg(tmp_path)
    trained(con, cfg, n=40)
    load_releases(con, releases(16, first=40, seed=8, invert=True), replace=False)
    report = retrain(cfg, con)
    assert report["decay"]["checked"] is True and report["decay"]["n_releases"] == 16
    assert report["decay"]["decayed"], report["decay"]
    assert "decay" in report["triggers"] and report["retrained"] is True


def test_no_champion_trains_one(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    cfg = drift_cfg(tmp_path)
    load_releases(con, releases(24))
    report = retrain(cfg, con)
    assert report["triggers"] == ["no_champion"]
    assert report["promoted"] is True and report["new_version"] == 1


def test_retrain_cli_force(tmp_path: Path) -> None:
    config = write_workspace(tmp_path)
    with open_warehouse(load_config(config).warehouse_path) as con:
        load_releases(con, releases(24))
    runner = CliRunner()
    first = runner.invoke(app, ["retrain", "-c", str(config)])
    assert first.exit_code == 0, first.output
    assert first.stderr.strip() == "retrained (no_champion); promoted: True"
    forced = runner.invoke(app, ["retrain", "-c", str(config), "--force"])
    assert forced.exit_code == 0
    assert json.loads(forced.stdout)["triggers"] == ["forced"]
