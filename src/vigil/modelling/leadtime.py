"""Lead time: how many days before a true onset a scorer first flagged the feature.

One function for every scorer (feature risk, the anomaly detectors, the generator's own checks):
each case brings its window, each scorer its flagged days, and the first flag inside the window
gives ``lead_days = onset - first flag`` (positive: before the onset; null: missed).
"""

from __future__ import annotations

import statistics

import polars as pl


def first_flags(windows: pl.DataFrame, flags: pl.DataFrame) -> pl.DataFrame:
    """``windows`` (feature_id, onset_date, window_start, window_end, any other columns) with
    ``first_flag`` and ``lead_days`` added; ``flags`` holds feature_id and day."""
    keyed = windows.with_row_index("_case")
    hits = (
        keyed.select("_case", "feature_id", "window_start", "window_end")
        .join(flags.select("feature_id", "day"), on="feature_id")
        .filter(pl.col("day").is_between(pl.col("window_start"), pl.col("window_end")))
        .group_by("_case")
        .agg(first_flag=pl.col("day").min())
    )
    return (
        keyed.join(hits, on="_case", how="left")
        .sort("_case")
        .drop("_case")
        .with_columns(lead_days=(pl.col("onset_date") - pl.col("first_flag")).dt.total_days())
    )


def summary(leads: pl.Series) -> dict[str, float | int | None]:
    """Cases, detected (share), detected before onset, and median / mean lead over detections."""
    found = [int(v) for v in leads.drop_nulls().to_list()]
    return {
        "cases": leads.len(),
        "detected": len(found),
        "detected_share": len(found) / leads.len() if leads.len() else None,
        "detected_before_onset": sum(1 for v in found if v > 0),
        "median_days": float(statistics.median(found)) if found else None,
        "mean_days": float(statistics.fmean(found)) if found else None,
    }
