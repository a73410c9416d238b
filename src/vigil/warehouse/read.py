"""Read-side API over the core tables (daily facts, annotations, runs) for the dashboard and CLI.

Every function takes an open (read-only is enough) connection and returns a polars frame or a
plain value; the SQL sits in ``sql/`` beside the aggregation that fills these tables.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from vigil.reporting import run_history
from vigil.warehouse.connection import fetch_one, schema_statements

log = logging.getLogger(__name__)

_TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS\s+(\w+)", re.IGNORECASE)


@cache
def _sql(name: str) -> str:
    return (resources.files("vigil.warehouse") / "sql" / f"{name}.sql").read_text("utf-8")


def _frame(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pl.DataFrame:
    return con.sql(_sql(name), params=params or None).pl()


@cache
def _expected_tables() -> tuple[str, ...]:
    return tuple(name for ddl in schema_statements() for name in _TABLE.findall(ddl))


def missing_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables the packages' schemas define that this warehouse lacks ('vigil run' adds them)."""
    expected = _expected_tables()
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    present = {r[0] for r in rows}
    return [name for name in expected if name not in present]


def data_window(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of feature data (None, None before the first run)."""
    row = fetch_one(con, "SELECT min(event_date), max(event_date) FROM fact_feature_daily")
    return (row[0], row[1]) if row else (None, None)  # type: ignore[return-value]


def kpis(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Portfolio KPIs on the latest day ('current') and a week earlier ('previous')."""
    return _frame(con, "kpis")


def feature_list(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every feature with daily data: feature_id, feature_name."""
    return _frame(con, "feature_list")


def feature_daily(con: duckdb.DuckDBPyConnection, feature_id: str) -> pl.DataFrame:
    """One feature's daily facts with their stored 7-day windows, oldest first."""
    return _frame(con, "feature_daily", feature_id=feature_id)


def sparklines(con: duckdb.DuckDBPyConnection, days: int = 28) -> pl.DataFrame:
    """Per feature, the last ``days`` values of p95 latency and crash rate (oldest first)."""
    return _frame(con, "sparklines", days=days)


def feature_deployments(con: duckdb.DuckDBPyConnection, feature_id: str) -> pl.DataFrame:
    """Deployments that touched one feature."""
    return _frame(con, "feature_deployments", feature_id=feature_id)


def feature_incidents(con: duckdb.DuckDBPyConnection, feature_id: str) -> pl.DataFrame:
    """Incidents that involved one feature."""
    return _frame(con, "feature_incidents", feature_id=feature_id)


def ingest_manifest(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Files ingested, newest first."""
    return _frame(con, "ingest_manifest")


def latest_run(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The newest run_history row, or None before the first run."""
    runs = run_history(con, 1)
    return runs[0] if runs else None


def quality_checks(run: dict[str, Any] | None, workspace: Path) -> list[dict[str, Any]]:
    """The quality checks in a run's report (``quality.checks``); empty when it cannot be read."""
    report_path = (run or {}).get("report_path")
    if not report_path:
        return []
    path = Path(report_path) if Path(report_path).is_absolute() else workspace / report_path
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("cannot read run report %s: %s", path, exc)
        return []
    checks = report.get("quality", {}).get("checks", []) if isinstance(report, dict) else []
    return [c for c in checks if isinstance(c, dict)]
