"""The load half of the pipeline: idempotent, incremental, atomic, and windows computed right."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest
from tests.conftest import HEADER, event_rows
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import load_config
from vigil.pipeline import run_pipeline

runner = CliRunner()
START = dt.date(2026, 3, 1)


def _csv(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def _days(n: int, start: dt.date = START) -> dict[str, str]:
    """One file per day; F1's latency climbs by 10 ms a day, F2 is flat."""
    files = {}
    for i in range(n):
        day = start + dt.timedelta(days=i)
        rows = event_rows(day, 6, "F1", 100.0 + 10 * i) + event_rows(day, 4, "F2", 50.0)
        files[f"{day}.csv"] = _csv(rows)
    return files


def _snapshot(config: Path, table: str) -> pl.DataFrame:
    con = duckdb.connect(str(config.parent / ".vigil" / "warehouse.duckdb"), read_only=True)
    try:
        return con.sql(f"SELECT * FROM {table} ORDER BY ALL").pl()
    finally:
        con.close()


def test_rerun_changes_nothing(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry=_days(5))
    cfg = load_config(config)
    first = run_pipeline(cfg, stages=False)
    before = _snapshot(config, "fact_feature_daily")
    second = run_pipeline(cfg, stages=False)
    assert first.report["row_accounting"]["rows_loaded"] == 52  # 50 events + 2 features
    assert second.report["files_new"] == 0
    assert second.report["files_skipped"] == 6
    assert second.report["row_accounting"]["rows_in"] == 0
    assert _snapshot(config, "fact_feature_daily").equals(before)
    assert _snapshot(config, "landing_file").height == 5


def test_new_day_recomputes_only_affected_days(make_workspace: Callable[..., Path]) -> None:
    files = _days(6)
    last = sorted(files)[-1]
    config = make_workspace(telemetry={k: v for k, v in files.items() if k != last})
    cfg = load_config(config)
    run_pipeline(cfg, stages=False)
    (config.parent / "data" / "telemetry" / last).write_text(files[last])
    result = run_pipeline(cfg, stages=False)
    assert result.report["affected_dates"] == {
        "count": 1,
        "first": "2026-03-06",
        "last": "2026-03-06",
    }
    incremental = _snapshot(config, "fact_feature_daily")
    # A full rebuild from scratch gives the same facts.
    fresh = make_fresh(config, files)
    assert incremental.equals(fresh)


def make_fresh(config: Path, files: dict[str, str]) -> pl.DataFrame:
    root = config.parent / "fresh"
    (root / "data" / "telemetry").mkdir(parents=True)
    for name, text in files.items():
        (root / "data" / "telemetry" / name).write_text(text)
    (root / "data" / "features.csv").write_text(
        (config.parent / "data" / "features.csv").read_text()
    )
    (root / "vigil.yaml").write_text(config.read_text())
    run_pipeline(load_config(root / "vigil.yaml"), stages=False)
    return _snapshot(root / "vigil.yaml", "fact_feature_daily")


def test_late_rows_recompute_their_day_and_windows(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry=_days(4))
    cfg = load_config(config)
    run_pipeline(cfg, stages=False)
    late = _csv(event_rows(START, 2, "F2", 500.0))
    (config.parent / "data" / "telemetry" / "late.csv").write_text(late)
    result = run_pipeline(cfg, stages=False)
    assert result.report["affected_dates"]["first"] == "2026-03-01"
    facts = _snapshot(config, "fact_feature_daily").filter(pl.col("feature_id") == "F2")
    assert facts["usage_count"].to_list() == [6, 4, 4, 4]
    # The late rows lift day 1's p95, and the 7-day window of later days sees it.
    assert facts["latency_p95_ms"][0] > 400
    assert facts["latency_p95_7d"][1] == pytest.approx(
        (facts["latency_p95_ms"][0] + facts["latency_p95_ms"][1]) / 2
    )


def test_failed_run_leaves_warehouse_as_it_was(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _days(3)
    config = make_workspace(telemetry=dict(list(files.items())[:2]))
    cfg = load_config(config)
    run_pipeline(cfg, stages=False)
    before = {
        t: _snapshot(config, t)
        for t in ("fact_feature_daily", "ingest_manifest", "landing_file", "quarantine")
    }
    name, text = list(files.items())[2]
    (config.parent / "data" / "telemetry" / name).write_text(text)

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # stands in for a kill half-way through the load

    monkeypatch.setattr("vigil.pipeline.rebuild_days", boom)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(cfg, stages=False)
    for table, frame in before.items():
        assert _snapshot(config, table).equals(frame), table
    monkeypatch.undo()
    result = run_pipeline(cfg, stages=False)
    assert result.report["files_new"] == 1
    assert _snapshot(config, "fact_feature_daily").height == 6
    statuses = _snapshot(config, "run_history")["status"].to_list()
    assert sorted(statuses) == ["aborted", "succeeded", "succeeded"]


def test_rolling_windows_match_a_direct_computation(make_workspace: Callable[..., Path]) -> None:
    files = _days(10)
    del files[f"{START + dt.timedelta(days=4)}.csv"]  # a missing day must not stretch windows
    config = make_workspace(telemetry=files)
    run_pipeline(load_config(config), stages=False)
    f1 = _snapshot(config, "fact_feature_daily").filter(pl.col("feature_id") == "F1")
    expected = f1.rolling("event_date", period="7d").agg(pl.col("latency_p95_ms").mean())
    assert f1["latency_p95_7d"].to_list() == pytest.approx(expected["latency_p95_ms"].to_list())
    base = f1["latency_p95_ms"][:3].mean()
    assert f1["latency_p95_delta_pct"][3] == pytest.approx(
        100 * (f1["latency_p95_ms"][3] / base - 1)
    )
    assert f1["usage_share"].to_list() == pytest.approx([0.6] * 9)


def test_percentiles_and_rates(make_workspace: Callable[..., Path]) -> None:
    day = START
    rows = [
        f"{day}T10:00:00Z,F1,{ms},{str(i < 2).lower()},u{i % 3},s{i},{i % 2},{5 - i % 5}"
        for i, ms in enumerate(range(1, 101))
    ]
    config = make_workspace(telemetry={"t.csv": _csv(rows)})
    run_pipeline(load_config(config), stages=False)
    fact = _snapshot(config, "fact_feature_daily").row(0, named=True)
    assert fact["usage_count"] == 100
    assert fact["active_users"] == 3
    assert fact["latency_p50_ms"] == pytest.approx(50.5)
    assert fact["latency_p95_ms"] == pytest.approx(95.05)
    assert fact["crash_rate"] == pytest.approx(0.02)
    assert fact["error_rate"] == pytest.approx(0.5)
    assert fact["feedback_mean"] == pytest.approx(3.0)
    assert fact["feedback_negative_share"] == pytest.approx(0.4)


def test_daily_grain_input(make_workspace: Callable[..., Path]) -> None:
    text = (
        "event_date,feature_id,latency_ms,latency_p95_ms,crash_rate,error_rate,feedback_score,"
        "active_users,usage_count\n"
        "2026-03-01,F1,100,180,0.01,0.02,4.2,120,900\n"
        "2026-03-02,F1,110,190,0.02,0.02,4.1,130,950\n"
        "2026-03-02,F2,50,70,1.5,0.0,4.0,10,20\n"
    )
    config = make_workspace(telemetry={"daily.csv": text}, telemetry_spec={"grain": "daily"})
    result = run_pipeline(load_config(config), stages=False)
    facts = _snapshot(config, "fact_feature_daily")
    assert facts.select("feature_id", "latency_p95_ms", "usage_count").rows() == [
        ("F1", 180.0, 900),
        ("F1", 190.0, 950),
    ]
    assert facts["latency_p95_7d"][1] == pytest.approx(185.0)
    assert result.report["row_accounting"]["rows_quarantined"] == 1  # crash_rate 1.5


def test_plain_export_through_shipped_mapping(tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "examples" / "plain_export"
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "events.csv").write_text((example / "data" / "events.csv").read_text())
    (tmp_path / "vigil.yaml").write_text((example / "vigil.yaml").read_text())
    result = run_pipeline(load_config(tmp_path / "vigil.yaml"), stages=False)
    acc = result.report["row_accounting"]
    assert acc == {
        "rows_in": 1200,
        "rows_loaded": 1200,
        "rows_quarantined": 0,
        "rows_duplicate": 0,
        "balanced": True,
    }
    facts = _snapshot(tmp_path / "vigil.yaml", "fact_feature_daily")
    assert set(facts["feature_id"]) == {"search", "checkout", "profile", "sync", "notifications"}
    assert facts["usage_count"].sum() == 1200


def test_run_report_and_history(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry=_days(2))
    result = runner.invoke(app, ["run", "-c", str(config)])
    assert result.exit_code == 0, result.stderr
    assert "rows in 22 = loaded 22 + quarantined 0 + duplicate 0" in result.stdout
    reports = list((config.parent / ".vigil" / "runs").glob("*/run_report.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())
    assert set(report) >= {
        "run_id",
        "config_hash",
        "inputs",
        "row_accounting",
        "quality",
        "seconds",
        "stages",
        "status",
    }
    assert set(report["seconds"]) >= {"ingest", "aggregate", "quality"}
    assert (config.parent / ".vigil" / "logs" / "vigil.log").exists()
    history = runner.invoke(app, ["history", "-c", str(config), "--json"])
    assert history.exit_code == 0
    rows = json.loads(history.stdout)
    assert [r["status"] for r in rows] == ["succeeded"]
    assert rows[0]["rows_loaded"] == 22


def test_batched_aggregation_gives_the_same_facts(make_workspace: Callable[..., Path]) -> None:
    files = _days(7)
    config = make_workspace(telemetry=files, extra_config={"engine": {"batch_days": 2}})
    run_pipeline(load_config(config), stages=False)
    batched = _snapshot(config, "fact_feature_daily")
    assert batched.height == 14
    assert batched.equals(_one_batch(config, files))


def _one_batch(config: Path, files: dict[str, str]) -> pl.DataFrame:
    root = config.parent / "one"
    (root / "data" / "telemetry").mkdir(parents=True)
    for name, text in files.items():
        (root / "data" / "telemetry" / name).write_text(text)
    (root / "data" / "features.csv").write_text(
        (config.parent / "data" / "features.csv").read_text()
    )
    (root / "vigil.yaml").write_text(config.read_text().replace("batch_days: 2", "batch_days: 31"))
    run_pipeline(load_config(root / "vigil.yaml"), stages=False)
    return _snapshot(root / "vigil.yaml", "fact_feature_daily")
