"""From each feature's daily metrics to anomaly rows (feature, day, metric, kind, score).

Each feature's rows are laid on a continuous calendar (missing days are NaN and never fire), every
metric's evidence is scored, repeats of the same metric and kind within ``suppress_days`` are
suppressed, and for each (feature, day, metric) the strongest surviving kind is reported.
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
import polars as pl

from vigil.detection.causal import past_median_scale
from vigil.detection.feature import (
    COMBINED_KIND,
    COMBINED_METRIC,
    METRIC_DIRECTION,
    combined_evidence,
    evidence_score,
    metric_evidence,
)
from vigil.detection.series import episode_starts
from vigil.detection.settings import DetectionSettings

log = logging.getLogger(__name__)

ANOMALY_SCHEMA: dict[str, type[pl.DataType]] = {
    "feature_id": pl.Utf8,
    "event_date": pl.Date,
    "metric": pl.Utf8,
    "kind": pl.Utf8,
    "score": pl.Float64,
    "value": pl.Float64,
    "baseline": pl.Float64,
}


def detect_feature_anomalies(daily: pl.DataFrame, settings: DetectionSettings) -> pl.DataFrame:
    """Anomalies for every feature in ``daily`` (feature_id, event_date and the metric columns)."""
    rows: list[dict[str, object]] = []
    if daily.height == 0:
        return pl.DataFrame(schema=ANOMALY_SCHEMA)
    for part in daily.sort("feature_id", "event_date").partition_by("feature_id"):
        rows.extend(feature_anomalies(part, settings))
    log.info("feature detector: %d anomalies over %d feature-days", len(rows), daily.height)
    return pl.DataFrame(rows, schema=ANOMALY_SCHEMA)


def calendar(part: pl.DataFrame) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One feature's rows on a continuous daily calendar; metrics as floats (NaN = no data)."""
    dates = part["event_date"].to_numpy().astype("datetime64[D]")
    days = np.arange(dates.min(), dates.max() + np.timedelta64(1, "D"))
    index = (dates - days[0]).astype(int)
    series = {}
    for metric in METRIC_DIRECTION:
        values = np.full(len(days), np.nan)
        if metric in part.columns:
            values[index] = part[metric].cast(pl.Float64).fill_null(np.nan).to_numpy()
        series[metric] = values
    return days, series


def feature_anomalies(part: pl.DataFrame, settings: DetectionSettings) -> list[dict[str, object]]:
    """Anomaly rows for one feature's daily rows."""
    feature_id = str(part["feature_id"][0])
    days, series = calendar(part)
    rows = []
    for metric, direction in METRIC_DIRECTION.items():
        x = series[metric]
        evidence = metric_evidence(x, direction, settings.feature, settings.min_samples)
        scores = {kind: evidence_score(e) for kind, e in evidence.items()}
        rows += metric_rows(feature_id, days, metric, scores, x, settings)
    both = combined_evidence(
        series["latency_p95_ms"], series["feedback_mean"], settings.feature, settings.min_samples
    )
    scores = {COMBINED_KIND: evidence_score(both)}
    latency = series["latency_p95_ms"]
    rows += metric_rows(feature_id, days, COMBINED_METRIC, scores, latency, settings)
    return rows


def metric_rows(
    feature_id: str,
    days: np.ndarray,
    metric: str,
    scores: dict[str, np.ndarray],
    values: np.ndarray,
    settings: DetectionSettings,
) -> list[dict[str, object]]:
    """Suppress repeats per kind, then report the strongest kind on each day that fires."""
    kinds = list(scores)
    kept = np.vstack(
        [episode_starts(scores[k], settings.threshold, settings.suppress_days) for k in kinds]
    )
    top = kept.max(axis=0)
    best = kept.argmax(axis=0)
    baseline, _ = past_median_scale(values, settings.feature.baseline_days)
    return [
        {
            "feature_id": feature_id,
            "event_date": _as_date(days[t]),
            "metric": metric,
            "kind": kinds[best[t]],
            "score": float(top[t]),
            "value": _finite(values[t]),
            "baseline": _finite(baseline[t]),
        }
        for t in np.flatnonzero(top >= settings.threshold)
    ]


def _as_date(day: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(day))


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
