"""Attribute anomalies to a recent deployment that touched the feature; write `feature_anomaly`.

A deployment is blamed only when it touched the anomaly's feature and happened at most
``blame_days`` before the anomaly's day; otherwise the message says no recent deployment did.
"""

from __future__ import annotations

import datetime as dt
import logging

import duckdb
import polars as pl

from vigil.detection.sql_files import query, sql

log = logging.getLogger(__name__)


def attribute(
    con: duckdb.DuckDBPyConnection, anomalies: pl.DataFrame, blame_days: int
) -> pl.DataFrame:
    """Add deployment_id / deployed_at (the nearest deployment touching the feature on or before
    the day and at most ``blame_days`` before it, else null) and a one-line message."""
    con.register("anomaly_batch", anomalies.to_arrow())
    try:
        found = query(con, "attribute", {"blame_days": blame_days})
    finally:
        con.unregister("anomaly_batch")
    messages = [message(row, blame_days) for row in found.iter_rows(named=True)]
    return found.with_columns(pl.Series("message", messages, dtype=pl.Utf8))


def message(row: dict[str, object], blame_days: int) -> str:
    """E.g. 'latency_p95_ms level shift up: 412 vs baseline 250 (+65%); after deployment D (2 days
    before)' or 'usage_count drop: 286 vs baseline 2530 (-89%); no deployment touched this
    feature in the 14 days before'."""
    what = f"{row['metric']} {str(row['kind']).replace('_', ' ')}"
    value, baseline = row.get("value"), row.get("baseline")
    if isinstance(value, float) and isinstance(baseline, float):
        what += f": {value:.4g} vs baseline {baseline:.4g}"
        if baseline:
            what += f" ({(value - baseline) / abs(baseline):+.0%})"
    deployment, deployed_at = row.get("deployment_id"), row.get("deployed_at")
    if deployment is None or not isinstance(deployed_at, dt.datetime):
        unit = "day" if blame_days == 1 else "days"
        return what + f"; no deployment touched this feature in the {blame_days} {unit} before"
    event_date = row["event_date"]
    assert isinstance(event_date, dt.date)
    days = (event_date - deployed_at.date()).days
    unit = "day" if days == 1 else "days"
    return what + f"; after deployment {deployment} ({days} {unit} before)"


def replace_rows(
    con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, run_id: str, since: dt.date | None
) -> int:
    """Delete the recomputed days (all when ``since`` is None) and insert the new rows."""
    params = {"since": since}
    con.register("anomaly_rows", rows.to_arrow())
    try:
        con.execute(sql("delete"), params)
        con.execute(sql("insert"), {**params, "run_id": run_id})
    finally:
        con.unregister("anomaly_rows")
    written = rows.height if since is None else rows.filter(pl.col("event_date") >= since).height
    log.info("feature_anomaly: wrote %d rows (since %s)", written, since or "the start")
    return written
