"""Incomplete days are not scored; a fall is a drop; deployments are blamed only when recent and
touching the feature."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from vigil.config import VigilConfig
from vigil.context import RunContext
from vigil.detection.completeness import last_complete_day
from vigil.detection.stage import run_stage

from .data import daily_frame, day, warehouse_with

LAST = 69  # index of the last day in the warehouse (70 days)
FEATURES = [f"F{i:03d}" for i in range(1, 9)]


def warehouse(frame: pl.DataFrame) -> duckdb.DuckDBPyConnection:
    return warehouse_with(frame)


def partial_last_day_world() -> duckdb.DuckDBPyConnection:
    """Eight quiet features whose last day holds only its first hours of events (about a third
    of the usage, and a noisier p95 from fewer events) - like a run at 10:00."""
    parts = []
    for i, fid in enumerate(FEATURES):
        usage = np.round(1000 + np.random.default_rng(i).normal(0, 30, LAST + 1))
        usage[LAST] = 340
        latency = 200 + np.random.default_rng(50 + i).normal(0, 8, LAST + 1)
        latency[LAST] = 320
        parts.append(
            daily_frame(fid, n=LAST + 1, seed=i, usage_count=usage, latency_p95_ms=latency)
        )
    return warehouse(pl.concat(parts))


def context(con: duckdb.DuckDBPyConnection, now: dt.datetime, **detection: object) -> RunContext:
    cfg = VigilConfig.model_validate({"detection": detection})
    return RunContext(cfg, con, "r1", Path("."), now=now)


def anomalies(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql("SELECT * FROM feature_anomaly ORDER BY ALL").pl()


def at(i: int, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day(i), dt.time(hour))


def test_last_complete_day_waits_for_the_lateness_window():
    assert last_complete_day(at(10, 10), 6) == day(9)
    assert last_complete_day(at(10, 5), 6) == day(8)  # day 9's late events may still come
    assert last_complete_day(at(10, 0), 0) == day(9)


def test_the_day_still_arriving_gives_no_anomalies():
    con = partial_last_day_world()
    summary = run_stage(context(con, at(LAST, 10)))
    assert anomalies(con).filter(pl.col("event_date") >= day(LAST)).height == 0
    assert summary["incomplete_days"] == [day(LAST).isoformat()]
    assert summary["complete_through"] == day(LAST - 1).isoformat()
    assert summary["feature_days"] == len(FEATURES) * LAST


def test_the_same_day_once_complete_is_scored_so_the_guard_is_what_held_it_back():
    con = partial_last_day_world()
    run_stage(context(con, at(LAST + 1, 12)))
    last = anomalies(con).filter(pl.col("event_date") == day(LAST))
    assert set(last["feature_id"]) == set(FEATURES)


def test_yesterday_is_held_back_inside_the_lateness_window_and_stale_rows_go():
    con = partial_last_day_world()
    run_stage(context(con, at(LAST + 1, 12)))  # an earlier run that scored the last day
    summary = run_stage(context(con, at(LAST + 1, 3), lateness_hours=6))
    assert summary["incomplete_days"] == [day(LAST).isoformat()]
    assert anomalies(con).filter(pl.col("event_date") == day(LAST)).height == 0


def test_a_fall_in_usage_is_reported_as_a_drop():
    con = partial_last_day_world()
    run_stage(context(con, at(LAST + 1, 12)))
    row = (
        anomalies(con)
        .filter((pl.col("feature_id") == "F001") & (pl.col("metric") == "usage_count"))
        .row(0, named=True)
    )
    assert row["kind"] == "drop"
    assert row["message"].startswith("usage_count drop: 340 vs baseline ")
    assert "(-66%)" in row["message"]


@pytest.fixture()
def shifted() -> duckdb.DuckDBPyConnection:
    """F001's latency shifts up on day 45; F002 stays quiet."""
    lat = 200 + np.random.default_rng(7).normal(0, 8, LAST + 1)
    lat[45:] += 80
    return warehouse(
        pl.concat([daily_frame("F001", seed=1, latency_p95_ms=lat), daily_frame("F002", seed=3)])
    )


def first_shift(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    rows = anomalies(con).filter(
        (pl.col("feature_id") == "F001") & (pl.col("metric") == "latency_p95_ms")
    )
    first = rows.sort("event_date").row(0, named=True)
    assert first["event_date"] == day(45)
    return first


def deploy(con: duckdb.DuckDBPyConnection, dep: str, when: dt.datetime, features: list[str]):
    con.execute("INSERT INTO fact_deployment VALUES (?, ?, 'v', 100, ?)", [dep, when, features])


def test_a_deployment_20_days_earlier_is_not_blamed(shifted):
    deploy(shifted, "old", at(45 - 20), ["F001"])
    run_stage(context(shifted, at(LAST + 1)))
    first = first_shift(shifted)
    assert first["deployment_id"] is None
    assert first["message"].endswith("; no deployment touched this feature in the 14 days before")


def test_a_deployment_3_days_earlier_that_touched_the_feature_is_blamed(shifted):
    deploy(shifted, "old", at(45 - 20), ["F001"])
    deploy(shifted, "recent", at(45 - 3), ["F001", "F002"])
    run_stage(context(shifted, at(LAST + 1)))
    first = first_shift(shifted)
    assert first["deployment_id"] == "recent"
    assert first["message"].endswith("; after deployment recent (3 days before)")


def test_a_recent_deployment_that_did_not_touch_the_feature_is_not_blamed(shifted):
    deploy(shifted, "elsewhere", at(45 - 3), ["F002"])
    run_stage(context(shifted, at(LAST + 1)))
    assert first_shift(shifted)["deployment_id"] is None


def test_the_blame_window_is_configurable(shifted):
    deploy(shifted, "old", at(45 - 20), ["F001"])
    run_stage(context(shifted, at(LAST + 1), blame_days=30))
    assert first_shift(shifted)["deployment_id"] == "old"
