"""Read-side API over the released patches, for the dashboard."""

from __future__ import annotations

import duckdb
import polars as pl

from vigil.patches.features import sql


def released(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every release in fact_patch with its score and outcome, newest first."""
    return con.sql(sql("select_patches")).pl().reverse()
