"""Read-side API over the fleet tables that the CLI's queries do not cover: the error trend."""

from __future__ import annotations

import duckdb
import polars as pl

from vigil.fleet.build import sql


def error_trend(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Daily errors per 10k devices per device model, oldest first."""
    return con.sql(sql("q_error_trend")).pl()
