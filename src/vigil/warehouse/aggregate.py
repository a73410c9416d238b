"""Daily facts: recompute the affected days from landed events, then the windows that cover them."""

from __future__ import annotations

import datetime as dt
import logging
from importlib import resources

import duckdb

from vigil.engine.base import BASE_COLUMNS, Engine
from vigil.warehouse.connection import resolved_paths

log = logging.getLogger(__name__)

WINDOW_DAYS = 28


def _sql(name: str) -> str:
    return (resources.files("vigil.warehouse") / "sql" / name).read_text("utf-8")


def rebuild_days(
    con: duckdb.DuckDBPyConnection, engine: Engine, dates: list[dt.date], batch_days: int = 31
) -> dict[str, int]:
    """Recompute fact_feature_daily for ``dates`` and the rolling windows they feed.

    The engine (DuckDB here, or Spark where the files live) computes the base metrics; the windows
    are always computed here, in the warehouse. Days are aggregated ``batch_days`` at a time: no
    group spans two days, so batching changes nothing in the result and bounds the memory of the
    distinct counts and percentiles (and, on Spark, the shuffle of one job).
    """
    if not dates:
        return {"days": 0, "rows": 0, "window_rows": 0}
    days = sorted(set(dates))
    con.execute("DELETE FROM fact_feature_daily WHERE event_date IN (SELECT unnest(?))", [days])
    rows = 0
    for start in range(0, len(days), batch_days):
        batch = days[start : start + batch_days]
        rows += engine.write_daily_metrics(con, _landed_files(con, batch), "fact_feature_daily")
    rows += _insert_daily_input(con, days)
    lo, hi = days[0], days[-1] + dt.timedelta(days=WINDOW_DAYS - 1)
    window_rows = refresh_windows(con, lo, hi)
    log.info(
        "%s aggregated %d feature-days over %d days; windows for %d rows",
        engine.name,
        rows,
        len(days),
        window_rows,
    )
    return {"days": len(days), "rows": rows, "window_rows": window_rows}


def _landed_files(con: duckdb.DuckDBPyConnection, days: list[dt.date]) -> list[str]:
    stored = [
        r[0]
        for r in con.execute(
            "SELECT path FROM landing_file WHERE input = 'telemetry' "
            "AND event_date IN (SELECT unnest(?)) ORDER BY path",
            [days],
        ).fetchall()
    ]
    return resolved_paths(con, stored)


def _insert_daily_input(con: duckdb.DuckDBPyConnection, days: list[dt.date]) -> int:
    """Feature-days from a daily-grain input, where no event-level data covers them."""
    cols = ", ".join(BASE_COLUMNS)
    before = _count(con)
    con.execute(
        f"INSERT INTO fact_feature_daily ({cols}) "
        f"SELECT * FROM ({_sql_daily()}) d WHERE NOT EXISTS ("
        "SELECT 1 FROM fact_feature_daily f "
        "WHERE f.feature_id = d.feature_id AND f.event_date = d.event_date)",
        {"dates": days},
    )
    return _count(con) - before


def _sql_daily() -> str:
    return (resources.files("vigil.engine") / "sql" / "daily_from_input.sql").read_text("utf-8")


def refresh_windows(con: duckdb.DuckDBPyConnection, lo: dt.date, hi: dt.date) -> int:
    """Recompute rolling values and deltas for days in [lo, hi]."""
    con.execute(_sql("rolling.sql"), {"lo": lo, "hi": hi})
    row = con.execute(
        "SELECT count(*) FROM fact_feature_daily WHERE event_date BETWEEN ? AND ?", [lo, hi]
    ).fetchall()[0]
    return int(row[0]) if row else 0


def _count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM fact_feature_daily").fetchall()[0]
    return int(row[0]) if row else 0
