"""Build the patch tables from the warehouse: exposure, device-daily stability, fact_patch."""

from __future__ import annotations

import datetime as dt
import logging
from functools import cache
from importlib import resources

import duckdb
import polars as pl

from vigil.patches.settings import PatchSettings

log = logging.getLogger(__name__)


@cache
def sql(name: str) -> str:
    """The text of ``patches/sql/<name>.sql``."""
    return (resources.files("vigil.patches") / "sql" / f"{name}.sql").read_text("utf-8")


def data_as_of(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest date the device events or tickets reach (None without device data)."""
    rows = con.execute(sql("as_of")).fetchall()  # fetchall: duckdb 2 wants results drained
    return rows[0][0] if rows else None


def build_patch_tables(
    con: duckdb.DuckDBPyConnection, settings: PatchSettings, as_of: dt.date | None = None
) -> int:
    """Rebuild fact_device_daily and fact_patch (idempotent); return the number of releases."""
    as_of = as_of or data_as_of(con)
    con.execute(sql("exposure"))
    con.execute(sql("device_daily"))
    con.execute(
        sql("fact_patch"),
        {
            "window_days": settings.outcome_window_days,
            "pre_days": settings.pre_window_days,
            "as_of": as_of,
        },
    )
    n = count_patches(con)[0]
    log.info("fact_patch rebuilt: %d releases (data as of %s)", n, as_of)
    return n


def count_patches(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(releases in fact_patch, releases in the high tier)."""
    releases, high = con.execute(sql("count_patches")).fetchall()[0]
    return int(releases), int(high)


def load_patches(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """fact_patch as a polars frame, oldest release first."""
    return _frame(con, sql("select_patches"))


def stability_curves(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Errors per 10k exposed devices by days since release, per firmware."""
    return _frame(con, sql("stability_curve"))


def _frame(con: duckdb.DuckDBPyConnection, query: str) -> pl.DataFrame:
    return con.sql(query).pl()
