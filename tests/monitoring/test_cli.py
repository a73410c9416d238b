"""`vigil drift`, `vigil drift-report`, `vigil drift-baseline`: exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import load_config
from vigil.monitoring.stage import compare_windows
from vigil.warehouse.connection import open_warehouse

from .factories import STAGE_COLUMNS, fact_frame, load_facts

runner = CliRunner()


@pytest.fixture
def samples(tmp_path: Path) -> dict[str, Path]:
    rng = np.random.default_rng(0)

    def frame(shift: float) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "latency": rng.normal(200 + shift, 20, 200),
                "region": rng.choice(["eu", "us", "ap"], 200),
            }
        )

    paths = {
        "ref": tmp_path / "ref.csv",
        "same": tmp_path / "same.parquet",
        "shifted": tmp_path / "shifted.csv",
    }
    frame(0).write_csv(paths["ref"])
    frame(0).write_parquet(paths["same"])
    frame(80).with_columns(region=pl.lit("eu")).write_csv(paths["shifted"])
    return paths


def test_no_dataset_drift_exits_0(samples: dict[str, Path]) -> None:
    result = runner.invoke(app, ["drift", str(samples["ref"]), str(samples["same"])])
    assert result.exit_code == 0, result.output
    assert "no dataset drift: 0 of 2 evaluated columns drifted (0%; the rule is >= 50%)" in (
        result.stdout
    )


def test_dataset_drift_exits_1_with_reasons(samples: dict[str, Path]) -> None:
    result = runner.invoke(app, ["drift", str(samples["ref"]), str(samples["shifted"])])
    assert result.exit_code == 1
    assert "dataset drift: 2 of 2 evaluated columns drifted (100%" in result.stdout
    assert "KS p=" in result.stdout and "chi-square p=" in result.stdout


def test_json_output_and_columns(samples: dict[str, Path]) -> None:
    result = runner.invoke(
        app,
        ["drift", str(samples["ref"]), str(samples["shifted"]), "--columns", "latency", "--json"],
    )
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert [c["column"] for c in payload["columns"]] == ["latency"]
    assert payload["columns"][0]["test"] == "ks" and payload["dataset_drift"] is True


def test_kinds_option(samples: dict[str, Path]) -> None:
    result = runner.invoke(
        app,
        [
            "drift",
            str(samples["ref"]),
            str(samples["same"]),
            "--kinds",
            "latency=categorical",
            "--json",
        ],
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["columns"][0]["kind"] == "categorical"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "{same}"], "Error: {tmp}/missing.csv: file not found (check the path)"),
        (
            ["{ref}", "{tmp}/x.txt"],
            "Error: {tmp}/x.txt: unsupported file type '.txt' (use .csv or .parquet)",
        ),
        (
            ["{ref}", "{same}", "--columns", "nope"],
            "Error: reference data: missing columns: nope (asked for by the drift columns)",
        ),
        (
            ["{ref}", "{same}", "--columns", " , "],
            "Error: --columns is empty (give comma-separated column names)",
        ),
        (
            ["{ref}", "{same}", "--kinds", "latency"],
            "Error: --kinds item 'latency' is not column=kind",
        ),
        (
            ["{ref}", "{empty}"],
            "Error: {tmp}/empty.csv: the file is empty (it needs a header and rows)",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    samples: dict[str, Path], tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    names = {
        "ref": samples["ref"],
        "same": samples["same"],
        "tmp": tmp_path,
        "empty": tmp_path / "empty.csv",
    }
    if args[0] == "missing.csv":
        args = [str(tmp_path / "missing.csv"), *args[1:]]
    argv = ["drift", *(a.format(**names) for a in args)]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert result.stderr.strip() == message.format(**names)


def _workspace(tmp_path: Path) -> Path:
    config = tmp_path / "vigil.yaml"
    config.write_text("drift:\n  columns: [" + ", ".join(STAGE_COLUMNS) + "]\n", encoding="utf-8")
    return config


def test_drift_report_shows_the_latest_run(tmp_path: Path) -> None:
    config = _workspace(tmp_path)
    cfg = load_config(config)
    with open_warehouse(cfg.warehouse_path) as con:
        load_facts(con, fact_frame(days=35, shift_from=28))
        compare_windows(con, cfg, "run-a")
    result = runner.invoke(app, ["drift-report", "-c", str(config)])
    assert result.exit_code == 0, result.output
    words = " ".join(result.stdout.split())  # the table wraps to the terminal width
    assert (
        "Drift, run run-a: current 2026-01-29..2026-02-04 vs reference 2026-01-01..2026-01-28"
        in words
    )
    assert "latency_p95_ms" in result.stdout and "no dataset drift" in result.stdout
    as_json = runner.invoke(app, ["drift-report", "-c", str(config), "--json"])
    payload = json.loads(as_json.stdout)
    assert payload["summary"]["run_id"] == "run-a"
    assert len(payload["columns"]) == len(STAGE_COLUMNS)


def test_drift_report_without_warehouse(tmp_path: Path) -> None:
    config = _workspace(tmp_path)
    result = runner.invoke(app, ["drift-report", "-c", str(config)])
    assert result.exit_code == 1
    warehouse = tmp_path / ".vigil" / "warehouse.duckdb"
    assert result.stderr.strip() == (
        f"Error: no warehouse at {warehouse} (run 'vigil run' or 'vigil demo' first)"
    )


def test_drift_report_before_any_run(tmp_path: Path) -> None:
    config = _workspace(tmp_path)
    with open_warehouse(load_config(config).warehouse_path):
        pass
    result = runner.invoke(app, ["drift-report", "-c", str(config)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no drift report stored yet (run 'vigil run' first)"


def test_drift_baseline_show_and_refresh(tmp_path: Path) -> None:
    config = _workspace(tmp_path)
    missing = runner.invoke(app, ["drift-baseline", "-c", str(config)])
    assert missing.exit_code == 1
    assert "no baseline at" in missing.stderr
    with open_warehouse(load_config(config).warehouse_path) as con:
        load_facts(con, fact_frame(days=40))
    refreshed = runner.invoke(app, ["drift-baseline", "-c", str(config), "--refresh"])
    assert refreshed.exit_code == 0, refreshed.output
    payload = json.loads(refreshed.stdout)
    assert payload["window"] == {"start": "2026-01-06", "end": "2026-02-02", "days": 28}
    assert (payload["rows"], payload["features"]) == (168, 6)
    shown = json.loads(runner.invoke(app, ["drift-baseline", "-c", str(config)]).stdout)
    assert shown["columns"] == sorted(STAGE_COLUMNS)


def test_every_monitoring_command_has_help() -> None:
    for command in ("drift", "drift-report", "drift-baseline"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.stdout
