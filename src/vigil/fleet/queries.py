"""Read-only queries over the fleet tables, for the CLI and the dashboard.

Each function returns a polars DataFrame; a table that is not built yet is a WarehouseError that
says what to run.
"""

from __future__ import annotations

import duckdb
import polars as pl

from vigil.errors import WarehouseError
from vigil.fleet.build import sql

TIERS = ("immediate", "enhanced", "standard")


def _query(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    try:
        return con.sql(sql(name)).pl()
    except duckdb.CatalogException as exc:
        raise WarehouseError(
            "the fleet tables are not built yet (run 'vigil run -c vigil.yaml' first)"
        ) from exc


def fleet_risk(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every device model x firmware x age band with its risk, tier and trends, riskiest first."""
    return _query(con, "q_fleet_risk")


def watch_list(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The groups that need more than standard monitoring (tier immediate or enhanced)."""
    return fleet_risk(con).filter(pl.col("tier") != "standard")


def heatmap(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """device_model x firmware rows: error and RMA rates over the window (pivot for a heatmap).

    Reads fleet_device_daily; before the fleet stage has run, the patch area's fact_device_daily.
    """
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    fleet_rows = (
        con.execute("SELECT count(*) FROM fleet_device_daily").fetchall()[0][0]
        if "fleet_device_daily" in tables
        else 0
    )
    if fleet_rows or ("fleet_device_daily" in tables and "fact_device_daily" not in tables):
        text = sql("q_heatmap").format(
            table="fleet_device_daily", spikes="COUNT(*) FILTER (WHERE is_spike_day)"
        )
    elif "fact_device_daily" in tables:
        text = sql("q_heatmap").format(table="fact_device_daily", spikes="0")
    else:
        raise WarehouseError("no device daily table yet (run 'vigil run -c vigil.yaml' first)")
    return con.sql(text).pl()


def rma_by_error_code(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """RMA tickets per device that reported each error code."""
    return _query(con, "q_rma_by_error_code")


def rma_by_firmware(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """RMA tickets per device that ran each firmware."""
    return _query(con, "q_rma_by_firmware")


def spike_days(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Device model x firmware days whose error count reached the spike ratio."""
    return _query(con, "q_spike_days")


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Spike days and unlinked tickets (tickets with no matching prior event)."""
    row = _query(con, "q_summary").row(0, named=True)
    return {k: int(v or 0) for k, v in row.items()}
