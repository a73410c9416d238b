"""`vigil canary` on landed telemetry: the JSON contract, exit codes, the stored verdict."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

from vigil.canary.store import recent
from vigil.cli.main import app
from vigil.warehouse.connection import open_warehouse

from .samples import events

runner = CliRunner()
DAY = dt.date(2026, 3, 2)


def land(con, root: Path, frame: pl.DataFrame, day: dt.date, name: str) -> None:
    folder = root / ".vigil" / "landing" / "telemetry" / f"event_date={day.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.parquet"
    frame.write_parquet(path)
    con.execute(
        "INSERT INTO landing_file VALUES ('telemetry', ?, ?, ?, ?, 'test')",
        [day, str(path), name, frame.height],
    )


def day_frame(day: dt.date, version: str, seed: int, **kw: float) -> pl.DataFrame:
    frame = events(3_000, seed, **kw)
    start = dt.datetime.combine(day, dt.time())
    times = [start + dt.timedelta(seconds=20 * i) for i in range(frame.height)]
    return frame.with_columns(
        pl.Series("event_time", times),
        pl.lit("F1").alias("feature_id"),
        pl.lit(version).alias("app_version"),
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Two days of events: 3.0.1 on both, 3.0.2 (slower) on the second day only."""
    cfg = tmp_path / "vigil.yaml"
    cfg.write_text(yaml.safe_dump({"as_of": "2026-03-04T12:00:00"}), encoding="utf-8")
    with open_warehouse(tmp_path / ".vigil" / "warehouse.duckdb") as con:
        land(con, tmp_path, day_frame(DAY, "3.0.1", 1), DAY, "a")
        nxt = DAY + dt.timedelta(days=1)
        both = pl.concat([day_frame(nxt, "3.0.1", 2), day_frame(nxt, "3.0.2", 3, latency_ms=300.0)])
        land(con, tmp_path, both, nxt, "b")
    return cfg


def canary(cfg: Path, *args: str):
    return runner.invoke(app, ["canary", "-c", str(cfg), *args])


def test_json_contract_exit_1_on_fail_and_a_stored_verdict(workspace: Path):
    result = canary(workspace, "--baseline", "3.0.1", "--candidate", "3.0.2", "--json")
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["verdict"] == "Fail"
    assert payload["score"] == 60.0
    assert [m["name"] for m in payload["metrics"]] == [
        "latency", "crash rate", "error rate", "feedback"
    ]  # fmt: skip
    for m in payload["metrics"]:
        assert {"name", "test", "verdict", "effect", "interval", "reason"} <= set(m)
    latency = payload["metrics"][0]
    assert latency["verdict"] == "Fail" and latency["interval"][0] > 0.1
    # the same window for both: the candidate's only day, not the baseline's first day
    assert payload["window_start"].startswith("2026-03-03")
    assert latency["n_baseline"] == 3_000 and latency["n_candidate"] == 3_000
    with open_warehouse(workspace.parent / ".vigil" / "warehouse.duckdb") as con:
        stored = recent(con)
    assert len(stored) == 1
    row = stored[0]
    assert (row["baseline"], row["candidate"], row["verdict"]) == ("3.0.1", "3.0.2", "Fail")
    assert row["feature_id"] is None
    assert row["judged_at"] == dt.datetime(2026, 3, 4, 12)
    assert row["metrics"][0]["verdict"] == "Fail"


def test_same_version_against_itself_is_refused(workspace: Path):
    result = canary(workspace, "--baseline", "3.0.1", "--candidate", "3.0.1")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("Error: baseline and candidate are the same version (3.0.1)")


def test_unknown_version_is_exit_2_with_one_line(workspace: Path):
    result = canary(workspace, "--baseline", "3.0.1", "--candidate", "9.9.9")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: no landed telemetry events from app_version 9.9.9 (check the version names, or "
        "run 'vigil run' to land the telemetry)"
    )


def test_too_little_data_on_a_feature_is_nodata_exit_2(workspace: Path):
    result = canary(workspace, "--baseline", "3.0.1", "--candidate", "3.0.2", "--feature", "F2")
    assert result.exit_code == 2
    assert "app_version 3.0.1, 3.0.2 on feature F2" in result.stderr


def test_table_output_names_each_metric(workspace: Path):
    result = canary(workspace, "--baseline", "3.0.1", "--candidate", "3.0.1-x")
    assert result.exit_code == 2
    result = canary(workspace, "--baseline", "3.0.1", "--candidate", "3.0.2")
    assert result.exit_code == 1
    assert "3.0.2 vs 3.0.1: Fail (score 60); worse on latency" in result.stdout
    assert "crash rate" in result.stdout


def test_the_demo_judges_the_newest_version_against_the_busiest_older_one(workspace: Path):
    from vigil.canary.run import headline, judge_newest
    from vigil.config import load_config

    payload = judge_newest(load_config(workspace))
    assert (payload["baseline"], payload["candidate"], payload["verdict"]) == (
        "3.0.1", "3.0.2", "Fail"
    )  # fmt: skip
    line = headline(payload)
    assert line.startswith("Canary 3.0.2 vs 3.0.1: Fail (score 60); worse on latency — latency")


def test_the_demo_skips_with_a_reason_when_one_version_ran(tmp_path: Path):
    from vigil.canary.run import headline, judge_newest
    from vigil.config import load_config

    cfg = tmp_path / "vigil.yaml"
    cfg.write_text(yaml.safe_dump({"as_of": "2026-03-04T12:00:00"}), encoding="utf-8")
    with open_warehouse(tmp_path / ".vigil" / "warehouse.duckdb") as con:
        land(con, tmp_path, day_frame(DAY, "3.0.1", 1), DAY, "a")
    payload = judge_newest(load_config(cfg))
    assert headline(payload) == (
        "Canary: skipped (fewer than two versions with enough events to compare)"
    )
