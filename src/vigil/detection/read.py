"""Read-side API over the detector's output, for the dashboard's trend charts."""

from __future__ import annotations

import duckdb
import polars as pl

from vigil.detection.sql_files import query


def feature_anomalies(con: duckdb.DuckDBPyConnection, feature_id: str) -> pl.DataFrame:
    """Every anomaly flagged on one feature, oldest first."""
    return query(con, "feature_anomalies", {"feature_id": feature_id})
