"""The stored attention list (table ``attention_item``): written by the stage, read by the
overview, the CLI and (later) the alerts, so they all draw from the same list."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from vigil.attention.signals import sql, tables


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``attention_item`` if missing (idempotent)."""
    con.execute(sql("schema"))


def write(
    con: duckdb.DuckDBPyConnection, day: dt.date, items: pl.DataFrame, run_id: str | None
) -> int:
    """Replace the list of ``day`` with ``items``; returns the rows written."""
    ensure_schema(con)
    rows = items.with_columns(as_of_date=pl.lit(day), run_id=pl.lit(run_id, pl.Utf8))
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM attention_item WHERE as_of_date = ?", [day])
        con.register("_attention_rows", rows.to_arrow())
        con.execute("INSERT INTO attention_item BY NAME SELECT * FROM _attention_rows")
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_attention_rows")
    return rows.height


def latest(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every item of the latest stored day, by rank; empty before the first run."""
    if "attention_item" not in tables(con):
        return pl.DataFrame()
    return con.sql(
        "SELECT * FROM attention_item "
        "WHERE as_of_date = (SELECT max(as_of_date) FROM attention_item) ORDER BY rank"
    ).pl()
