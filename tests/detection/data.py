"""Tiny synthetic data for the detection tests: noisy series and daily feature frames."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import polars as pl

from vigil.warehouse.connection import memory_warehouse

START = dt.date(2026, 1, 1)
METRICS = ("latency_p95_ms", "crash_rate", "error_rate", "feedback_mean", "usage_count")


def noisy(n: int, seed: int = 0, level: float = 100.0, sd: float = 2.0) -> np.ndarray:
    """A flat series with Gaussian noise."""
    return level + np.random.default_rng(seed).normal(0.0, sd, n)


def minutes(n: int, step: int = 5) -> np.ndarray:
    """n timestamps every ``step`` minutes."""
    return np.datetime64("2026-01-01T00:00:00") + np.arange(n) * np.timedelta64(step, "m")


def daily_frame(
    feature_id: str, n: int = 70, seed: int = 0, **overrides: np.ndarray
) -> pl.DataFrame:
    """One feature's quiet daily metrics; pass arrays to replace a metric's series."""
    rng = np.random.default_rng(seed)
    base = {
        "latency_p95_ms": 200 + rng.normal(0, 8, n),
        "crash_rate": 0.01 + rng.normal(0, 0.001, n),
        "error_rate": 0.02 + rng.normal(0, 0.002, n),
        "feedback_mean": 4.2 + rng.normal(0, 0.05, n),
        "usage_count": np.round(1000 + rng.normal(0, 30, n)),
    }
    base.update(overrides)
    days = [START + dt.timedelta(days=i) for i in range(n)]
    return pl.DataFrame({"feature_id": [feature_id] * n, "event_date": days, **base})


def day(i: int) -> dt.date:
    """The i-th day of the synthetic calendar."""
    return START + dt.timedelta(days=i)


def warehouse_with(frame: pl.DataFrame) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse whose fact_feature_daily holds ``frame`` (daily_frame's columns)."""
    con = memory_warehouse()
    con.register("frame", frame.to_arrow())
    con.execute(
        "INSERT INTO fact_feature_daily (feature_id, event_date, latency_p95_ms, crash_rate,"
        " error_rate, feedback_mean, usage_count) SELECT * FROM frame"
    )
    con.unregister("frame")
    return con
