"""Canonical telemetry rows and warehouse reads for the ingest tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb
import polars as pl


def events(n: int, day: int = 3, user: str = "u", **columns: Sequence[object]) -> pl.DataFrame:
    """n canonical telemetry rows on 2026-02-<day>, one minute apart, every column in its
    canonical type (the first row crashed); ``columns`` replace values."""
    frame = pl.DataFrame(
        {
            "event_time": [dt.datetime(2026, 2, day, 10, i) for i in range(n)],
            "feature_id": ["F1"] * n,
            "latency_ms": [float(10 + i) for i in range(n)],
            "crashed": [i == 0 for i in range(n)],
            "user_id": [f"{user}{i}" for i in range(n)],
            "device_id": ["d"] * n,
            "session_id": [f"s{i}" for i in range(n)],
            "error_count": [0] * n,
            "feedback_score": [None] * n,
            "app_version": ["1.0"] * n,
            "device_model": ["m"] * n,
            "region": ["eu"] * n,
        },
        schema_overrides={"feedback_score": pl.Float64},
    )
    return frame.with_columns(pl.Series(k, v, dtype=frame.schema[k]) for k, v in columns.items())


def warehouse_rows(config: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of one query on the workspace's warehouse (read-only, closed after)."""
    con = duckdb.connect(str(config.parent / ".vigil" / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
