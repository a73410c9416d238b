"""Read-side API for the dashboard and the CLI."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from vigil.risk.sql_files import load_sql, query_frame


def ranked_features(
    con: duckdb.DuckDBPyConnection, score_date: dt.date | None = None
) -> pl.DataFrame:
    """Scores of one day (the latest by default) with the feature's catalogue data, by impact."""
    return query_frame(con, load_sql("ranked_features"), {"score_date": score_date})
