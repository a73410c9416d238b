"""`vigil outcomes`: the table, --json, one release's candidates, and a bad release name."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml
from tests.outcomes import crafted
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import load_config
from vigil.context import RunContext
from vigil.outcomes.stage import run_stage
from vigil.warehouse.connection import open_warehouse

RUNNER = CliRunner()


def workspace(tmp_path: Path, *, run: bool = True) -> Path:
    config = tmp_path / "vigil.yaml"
    outcomes = {"label_source": "telemetry", "weights": crafted.WEIGHTS}
    config.write_text(yaml.safe_dump({"outcomes": outcomes}), "utf-8")
    cfg = load_config(config)
    with open_warehouse(cfg.warehouse_path) as con:
        crafted.load(con, tmp_path)
        if run:
            now = dt.datetime(2026, 4, 1, 12)
            run_stage(RunContext(cfg=cfg, con=con, run_id="r", report_dir=tmp_path, now=now))
    return config


def test_json_lists_every_telemetry_outcome(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["outcomes", "-c", str(workspace(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["label_source"] == "telemetry"
    assert [r["firmware_version"] for r in payload["releases"]] == [
        "3.3",
        "3.2",
        "3.1",
        "3.0b",
        "2.9",
    ]
    assert [r["high_risk"] for r in payload["releases"]] == [None, False, True, False, False]


def test_one_release_shows_the_candidates_of_its_episodes(tmp_path: Path) -> None:
    config = str(workspace(tmp_path))
    result = RUNNER.invoke(app, ["outcomes", "-c", config, "--release", "3.1", "--json"])
    assert result.exit_code == 0, result.output
    episodes = json.loads(result.output)["episodes"]
    assert [e["episode_id"] for e in episodes] == ["F1@2026-03-04"]
    assert [c["deployment_id"] for c in episodes[0]["candidates"]] == ["DEP-1", "DEP-3", "DEP-2"]
    table = RUNNER.invoke(app, ["outcomes", "-c", config, "--release", "3.1"])
    assert table.exit_code == 0 and "DEP-3" in table.output


def test_an_unknown_release_is_bad_input(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["outcomes", "-c", str(workspace(tmp_path)), "--release", "9.9"])
    assert result.exit_code == 2
    assert "Error: no telemetry outcome for release '9.9' (run 'vigil run')" in result.output


def test_before_the_stage_ran_it_says_what_writes_outcomes(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["outcomes", "-c", str(workspace(tmp_path, run=False))])
    assert result.exit_code == 0
    assert "No release outcomes yet: 'vigil run' writes them (its outcomes stage)." in result.output
