"""Detector lead time against ground truth: how many days before the obvious onset we fired."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import polars as pl

from vigil.modelling.leadtime import first_flags, summary


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
    windows = pl.DataFrame(
        {"feature_id": [f for f, _ in truth], "onset_date": [d for _, d in truth]},
        schema={"feature_id": pl.Utf8, "onset_date": pl.Date},
    ).with_columns(
        window_start=pl.col("onset_date") - pl.duration(days=lookback_days),
        window_end=pl.col("onset_date") + pl.duration(days=horizon_days),
    )
    flags = con.sql("SELECT DISTINCT feature_id, event_date AS day FROM feature_anomaly").pl()
    found = first_flags(windows, flags.with_columns(pl.col("day").cast(pl.Date)))
    return found.select(
        "feature_id", "onset_date", first_detection="first_flag", lead_days="lead_days"
    ).sort("feature_id", "onset_date")


def lead_time_summary(rows: pl.DataFrame) -> dict[str, float | int | None]:
    """Detected share, and median / mean lead in days over the detected onsets."""
    found = summary(rows["lead_days"])
    return {
        "onsets": found["cases"],
        "detected": found["detected"],
        "detected_share": found["detected_share"],
        "median_lead_days": found["median_days"],
        "mean_lead_days": found["mean_days"],
    }
