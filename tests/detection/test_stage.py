"""The pipeline stage: writes feature_anomaly idempotently, attributes to the right deployment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from vigil.config import VigilConfig
from vigil.context import RunContext
from vigil.detection.leadtime import lead_time_summary, lead_times
from vigil.detection.stage import run_stage
from vigil.warehouse.connection import memory_warehouse

from .data import daily_frame, day, warehouse_with

ONSET = 45


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    lat = 200 + np.random.default_rng(7).normal(0, 8, 70)
    lat[ONSET:] += 80
    frame = pl.concat(
        [daily_frame("broken", seed=1, latency_p95_ms=lat), daily_frame("fine", seed=3)]
    )
    return warehouse_with(frame)


def add_deployment(con: duckdb.DuckDBPyConnection, dep: str, at: dt.datetime, features: list[str]):
    con.execute("INSERT INTO fact_deployment VALUES (?, ?, 'v', 100, ?)", [dep, at, features])


LATER = dt.datetime(2026, 6, 1)  # the run's clock: every synthetic day is long complete


def context(con: duckdb.DuckDBPyConnection, run_id: str = "r1", dates=()) -> RunContext:
    return RunContext(VigilConfig(), con, run_id, Path("."), now=LATER, affected_dates=list(dates))


def anomalies(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql("SELECT * FROM feature_anomaly ORDER BY ALL").pl()


def at(i: int, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day(i), dt.time(hour))


def test_stage_writes_the_shift_attributed_to_the_nearest_preceding_deployment(con):
    add_deployment(con, "old", at(ONSET - 20), ["broken"])
    add_deployment(con, "cause", at(ONSET - 2), ["broken"])
    add_deployment(con, "other_feature", at(ONSET - 1), ["fine"])
    add_deployment(con, "later", at(ONSET + 1), ["broken"])
    summary = run_stage(context(con))
    rows = anomalies(con).filter(
        (pl.col("feature_id") == "broken") & (pl.col("metric") == "latency_p95_ms")
    )
    first = rows.row(0, named=True)
    assert first["event_date"] == day(ONSET)
    assert first["deployment_id"] == "cause"
    assert "after deployment cause (2 days before)" in first["message"]
    assert first["run_id"] == "r1"
    assert summary["status"] == "ok" and summary["anomalies"] == anomalies(con).height


def test_deployment_on_the_same_day_counts_but_the_next_day_does_not(con):
    add_deployment(con, "same_day", at(ONSET, hour=1), ["broken"])
    add_deployment(con, "next_day", at(ONSET + 1, hour=0), ["broken"])
    run_stage(context(con))
    first = (
        anomalies(con)
        .filter(pl.col("feature_id") == "broken")
        .sort("event_date")
        .row(0, named=True)
    )
    assert first["deployment_id"] == "same_day"


def test_no_preceding_deployment_leaves_it_unattributed(con):
    add_deployment(con, "later", at(ONSET + 1), ["broken"])
    run_stage(context(con))
    first = anomalies(con).filter(pl.col("event_date") == day(ONSET)).row(0, named=True)
    assert first["deployment_id"] is None
    assert first["message"].endswith("; no deployment touched this feature in the 14 days before")


def test_rerunning_is_idempotent(con):
    run_stage(context(con, "r1"))
    before = anomalies(con).drop("run_id")
    run_stage(context(con, "r2"))
    after = anomalies(con)
    assert before.equals(after.drop("run_id"))
    assert set(after["run_id"]) == {"r2"}


def test_affected_dates_recompute_only_from_the_first_affected_day(con):
    run_stage(context(con, "r1"))
    full = anomalies(con)
    summary = run_stage(context(con, "r2", [day(ONSET + 3), day(ONSET)]))
    after = anomalies(con)
    assert after.drop("run_id").equals(full.drop("run_id"))
    recomputed = after.filter(pl.col("event_date") >= day(ONSET))
    assert set(recomputed["run_id"]) == {"r2"}
    assert set(after.filter(pl.col("event_date") < day(ONSET))["run_id"]) <= {"r1"}
    assert summary["since"] == day(ONSET).isoformat()


def test_empty_warehouse_is_a_skipped_stage_not_a_crash():
    summary = run_stage(context(memory_warehouse()))
    assert summary == {"status": "skipped", "reason": "fact_feature_daily is empty", "anomalies": 0}


def test_lead_times_measure_days_before_the_onset(con):
    run_stage(context(con))
    rows = lead_times(con, [("broken", day(ONSET + 3)), ("fine", day(ONSET)), ("ghost", day(10))])
    lead = dict(zip(rows["feature_id"], rows["lead_days"], strict=True))
    assert lead["broken"] == 3
    assert lead["ghost"] is None
    summary = lead_time_summary(rows)
    assert summary["onsets"] == 3
    assert summary["detected"] == sum(v is not None for v in lead.values())
