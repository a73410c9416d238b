"""Warehouse access for monitoring: read fact windows, write drift reports and the baseline."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any

import duckdb
import polars as pl

from vigil.errors import WarehouseError
from vigil.monitoring.drift import DriftReport
from vigil.monitoring.windows import ONE_DAY, Windows

log = logging.getLogger(__name__)

DRIFT_ROW_FIELDS = (
    "column",
    "kind",
    "test",
    "statistic",
    "p_value",
    "p_value_adjusted",
    "distance",
    "psi",
    "drifted",
    "missing_drift",
    "verdict",
    "missing_share_reference",
    "missing_share_current",
    "reference_rows",
    "current_rows",
    "reason",
)


@cache
def sql(name: str) -> str:
    """The text of ``monitoring/sql/<name>.sql``."""
    return (resources.files("vigil.monitoring") / "sql" / f"{name}.sql").read_text("utf-8")


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run in a transaction of our own, or inside the caller's when one is already open."""
    try:
        con.begin()
    except duckdb.TransactionException:
        yield
        return
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def _run(
    con: duckdb.DuckDBPyConnection, statement: str, params: dict[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    """Execute a statement and drain its result (DuckDB wants results finished)."""
    return con.execute(sql(statement), params or {}).fetchall()


def _frame(
    con: duckdb.DuckDBPyConnection, statement: str, params: dict[str, Any] | None = None
) -> pl.DataFrame:
    return con.sql(sql(statement), params=params or {}).pl()


def _insert(con: duckdb.DuckDBPyConnection, statement: str, rows: pl.DataFrame) -> None:
    con.register("drift_rows", rows.to_arrow())
    try:
        _run(con, statement)
    finally:
        con.unregister("drift_rows")


def fact_date_range(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None, int]:
    """(first day, last day, rows) of fact_feature_daily."""
    try:
        row = _run(con, "fact_date_range")[0]
    except duckdb.CatalogException as exc:
        raise WarehouseError("fact_feature_daily is missing (run 'vigil run' first)") from exc
    return row[0], row[1], int(row[2])


def fact_window(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Feature-days with start < event_date <= end."""
    return _frame(con, "fact_window", {"start": start, "end": end})


def _report_rows(report: DriftReport, run_id: str, created_at: dt.datetime) -> pl.DataFrame:
    rows = [{f: getattr(c, f) for f in DRIFT_ROW_FIELDS} for c in report.columns]
    frame = pl.DataFrame(
        rows,
        schema_overrides={
            "statistic": pl.Float64,
            "p_value": pl.Float64,
            "p_value_adjusted": pl.Float64,
            "distance": pl.Float64,
            "psi": pl.Float64,
        },
        infer_schema_length=None,
    )
    return frame.rename({"column": "column_name"}).with_columns(
        run_id=pl.lit(run_id), created_at=pl.lit(created_at)
    )


def _summary_row(
    report: DriftReport, run_id: str, windows: Windows | None, created_at: dt.datetime
) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "run_id": run_id,
                "dataset_drift": report.dataset_drift,
                "drift_share": report.drift_share,
                "columns_evaluated": report.evaluated,
                "columns_drifted": len(report.drifted_columns),
                "reference_start": windows.reference_start + ONE_DAY if windows else None,
                "reference_end": windows.reference_end if windows else None,
                "current_start": windows.current_start + ONE_DAY if windows else None,
                "current_end": windows.current_end if windows else None,
                "reference_rows": report.reference_rows,
                "current_rows": report.current_rows,
                "summary": report.summary(),
                "created_at": created_at,
            }
        ],
        schema_overrides={
            "reference_start": pl.Date,
            "reference_end": pl.Date,
            "current_start": pl.Date,
            "current_end": pl.Date,
        },
    )


def save_drift_report(
    con: duckdb.DuckDBPyConnection,
    report: DriftReport,
    run_id: str,
    windows: Windows | None = None,
    created_at: dt.datetime | None = None,
) -> int:
    """Replace this run's rows in drift_report / drift_summary (idempotent per run_id)."""
    created_at = created_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with _transaction(con):
        _run(con, "delete_drift_run", {"run_id": run_id})
        _run(con, "delete_drift_summary", {"run_id": run_id})
        if report.columns:
            _insert(con, "insert_drift_report", _report_rows(report, run_id, created_at))
        _insert(con, "insert_drift_summary", _summary_row(report, run_id, windows, created_at))
    log.info("drift report for run %s: %d columns stored", run_id, len(report.columns))
    return len(report.columns)


def latest_drift_report(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, Any], pl.DataFrame]:
    """The newest run's summary row and its per-column verdicts."""
    try:
        summary = _frame(con, "latest_drift_summary")
    except duckdb.CatalogException as exc:
        raise WarehouseError("the warehouse has no drift tables (run 'vigil run' first)") from exc
    if summary.is_empty():
        raise WarehouseError("no drift report stored yet (run 'vigil run' first)")
    head = summary.row(0, named=True)
    rows = _frame(con, "drift_report_for_run", {"run_id": head["run_id"]})
    return head, rows


def baseline_stored(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether drift_baseline holds any rows."""
    return bool(_run(con, "baseline_row_count")[0][0])


def replace_baseline(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> None:
    """Swap the stored baseline for ``rows`` (only ever called by an explicit refresh)."""
    with _transaction(con):
        _run(con, "delete_baseline")
        if rows.height:
            _insert(con, "insert_baseline", rows)


def baseline_rows(baseline: dict[str, Any]) -> pl.DataFrame:
    """Flatten a baseline payload (see stage.py) into drift_baseline rows."""
    meta = {
        "window_start": dt.date.fromisoformat(baseline["window"]["start"]),
        "window_end": dt.date.fromisoformat(baseline["window"]["end"]),
        "run_id": baseline["run_id"],
        "created_at": dt.datetime.fromisoformat(baseline["created_at"]),
    }
    rows = [_column_row(name, stats, meta) for name, stats in baseline["columns"].items()]
    for feature_id, columns in baseline.get("features", {}).items():
        rows += [_feature_row(feature_id, name, s, meta) for name, s in columns.items()]
    return pl.DataFrame(
        rows,
        infer_schema_length=None,
        schema_overrides={
            "feature_id": pl.String,
            "mean": pl.Float64,
            "std": pl.Float64,
            "p05": pl.Float64,
            "p50": pl.Float64,
            "p95": pl.Float64,
            "missing_share": pl.Float64,
        },
    )


def _column_row(name: str, stats: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    quantiles = stats.get("quantiles", {})
    keys = ("histogram", "quantiles", "frequencies", "shares")
    detail = {k: stats[k] for k in keys if k in stats}
    return {
        "scope": "column",
        "feature_id": None,
        "column_name": name,
        "kind": stats["kind"],
        "present_count": stats["count"],
        "missing_share": stats["missing_share"],
        "mean": stats.get("mean"),
        "std": stats.get("std"),
        "p05": quantiles.get("p05"),
        "p50": quantiles.get("p50"),
        "p95": quantiles.get("p95"),
        "detail": json.dumps(detail),
        **meta,
    }


def _feature_row(
    feature_id: str, name: str, stats: dict[str, Any], meta: dict[str, Any]
) -> dict[str, Any]:
    return {
        "scope": "feature",
        "feature_id": feature_id,
        "column_name": name,
        "kind": "numeric",
        "present_count": stats["count"],
        "missing_share": stats["missing_share"],
        "mean": stats["mean"],
        "std": stats["std"],
        "p05": stats["p05"],
        "p50": stats["p50"],
        "p95": stats["p95"],
        "detail": None,
        **meta,
    }
