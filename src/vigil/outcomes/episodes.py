"""Regression episodes: a feature's bad-direction anomalies at most ``merge_days`` apart.

An episode is what a regression looks like to the detectors: its first day (when the release
that caused it must already have rolled out), its last day, its strongest metric and how sure
the detector was (anomaly days, peak score).
"""

from __future__ import annotations

import polars as pl

EPISODE_SCHEMA: dict[str, type[pl.DataType]] = {
    "episode_id": pl.Utf8,
    "feature_id": pl.Utf8,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "metric": pl.Utf8,
    "anomaly_days": pl.Int32,
    "peak_score": pl.Float64,
}
COMBINED = "latency_p95_ms+feedback_mean"
"""the detector's combined metric: its bad events are slow ones"""


def episodes(anomalies: pl.DataFrame, merge_days: int) -> pl.DataFrame:
    """One row per episode from anomaly rows (feature_id, event_date, metric, score)."""
    if anomalies.height == 0:
        return pl.DataFrame(schema=EPISODE_SCHEMA)
    days = anomalies.sort("feature_id", "event_date").with_columns(
        gap=pl.col("event_date").diff().dt.total_days().over("feature_id")
    )
    days = days.with_columns(
        episode=(pl.col("gap").is_null() | (pl.col("gap") > merge_days))
        .cum_sum()
        .over("feature_id")
    )
    strongest = (
        days.sort(["score", "event_date", "metric"], descending=[True, False, False])
        .group_by("feature_id", "episode", maintain_order=True)
        .first()
        .select(
            "feature_id", "episode", metric=pl.col("metric").replace(COMBINED, "latency_p95_ms")
        )
    )
    out = (
        days.group_by("feature_id", "episode")
        .agg(
            start_date=pl.col("event_date").min(),
            end_date=pl.col("event_date").max(),
            anomaly_days=pl.col("event_date").n_unique().cast(pl.Int32),
            peak_score=pl.col("score").max(),
        )
        .join(strongest, on=["feature_id", "episode"])
        .with_columns(
            episode_id=pl.format("{}@{}", "feature_id", pl.col("start_date").cast(pl.Utf8))
        )
    )
    return out.select(list(EPISODE_SCHEMA)).sort("start_date", "feature_id")
