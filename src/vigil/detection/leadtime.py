"""Detector lead time against ground truth: how many days before the obvious onset we fired."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence

import duckdb
import polars as pl

from vigil.detection.sql_files import query


def lead_times(
    con: duckdb.DuckDBPyConnection,
    truth: Sequence[tuple[str, dt.date]],
    *,
    lookback_days: int = 14,
    horizon_days: int = 14,
) -> pl.DataFrame:
    """One row per (feature_id, onset_date): the first anomaly in ``feature_anomaly`` within
    [onset - lookback_days, onset + horizon_days] and ``lead_days = onset - first_detection``
    (positive = before the onset; null = missed)."""
    batch = pl.DataFrame(
        {"feature_id": [f for f, _ in truth], "onset_date": [d for _, d in truth]},
        schema={"feature_id": pl.Utf8, "onset_date": pl.Date},
    )
    con.register("truth_batch", batch.to_arrow())
    try:
        params = {"lookback_days": lookback_days, "horizon_days": horizon_days}
        found = query(con, "lead_times", params)
    finally:
        con.unregister("truth_batch")
    lead = (pl.col("onset_date") - pl.col("first_detection")).dt.total_days()
    return found.with_columns(lead.alias("lead_days"))


def lead_time_summary(rows: pl.DataFrame) -> dict[str, float | int | None]:
    """Detected share, and median / mean lead in days over the detected onsets."""
    leads = [int(v) for v in rows["lead_days"].drop_nulls().to_list()]
    return {
        "onsets": rows.height,
        "detected": len(leads),
        "detected_share": len(leads) / rows.height if rows.height else None,
        "median_lead_days": statistics.median(leads) if leads else None,
        "mean_lead_days": statistics.fmean(leads) if leads else None,
    }
