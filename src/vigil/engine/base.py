"""The engine seam: the one heavy step (raw events -> daily base metrics) behind a small interface.

Everything before (ingest) and after (rolling windows, scoring) works on small tables in DuckDB. An
engine only has to turn a list of landed Parquet files into base-metric rows in the warehouse, with
the SQL semantics of ``engine/sql/daily_metrics.sql``. DuckDB runs that SQL in the warehouse's own
process; Spark runs it, transpiled (``engine/transpile.py``), where the files live and hands back
the small result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import duckdb

BASE_COLUMNS = (
    "feature_id",
    "event_date",
    "usage_count",
    "active_users",
    "sessions",
    "latency_mean_ms",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "crash_count",
    "crash_rate",
    "error_count",
    "error_rate",
    "feedback_count",
    "feedback_mean",
    "feedback_negative_share",
)


class Engine(Protocol):
    """Computes daily base metrics from event files into a warehouse table."""

    name: str

    def write_daily_metrics(
        self, con: duckdb.DuckDBPyConnection, event_files: Sequence[str], target: str
    ) -> int:
        """Insert one row per feature x day of ``event_files`` into ``target``; returns rows."""
        ...
