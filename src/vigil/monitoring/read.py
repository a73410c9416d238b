"""Read-side API over monitoring's tables for the dashboard (the drift report itself is
``monitoring.store.latest_drift_report``)."""

from __future__ import annotations

import duckdb
import polars as pl

from vigil.monitoring.store import sql


def dataset_baseline(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Reference statistics per column of the whole dataset, by column name."""
    return con.sql(sql("dataset_baseline")).pl()
