"""Pipeline stage: the feature-series detector over `fact_feature_daily` into `feature_anomaly`."""

from __future__ import annotations

import datetime as dt
import logging

import polars as pl

from vigil.context import RunContext
from vigil.detection.anomalies import detect_feature_anomalies
from vigil.detection.attribution import attribute, replace_rows
from vigil.detection.completeness import last_complete_day
from vigil.detection.sql_files import query

log = logging.getLogger(__name__)


def run_stage(ctx: RunContext) -> dict[str, object]:
    """Detect, attribute and write anomalies for the days this run changed (all when none given).

    Detectors are causal, so a change on day d can only move scores on d and later: every day
    from the first affected one is recomputed (delete-then-insert), earlier rows stay as they are.
    Days not yet complete at the run's clock (``detection.lateness_hours``) are held back: they
    are neither scored nor used as a baseline, and rows an earlier run wrote for them are deleted.
    """
    settings = ctx.cfg.detection
    since = min(ctx.affected_dates) if ctx.affected_dates else None
    cutoff = last_complete_day(ctx.now, settings.lateness_hours)
    loaded = load_daily(ctx)
    if loaded.height == 0:
        log.info("detection: fact_feature_daily is empty, nothing to do")
        return {"status": "skipped", "reason": "fact_feature_daily is empty", "anomalies": 0}
    daily = loaded.filter(pl.col("event_date") <= cutoff)
    held_back = sorted(set(loaded.filter(pl.col("event_date") > cutoff)["event_date"]))
    if held_back:
        log.info("detection: %d incomplete day(s) held back: %s", len(held_back), held_back)
    found = detect_feature_anomalies(daily, settings)
    if since is not None:
        found = found.filter(pl.col("event_date") >= since)
    rows = attribute(ctx.con, found, settings.blame_days)
    written = replace_rows(ctx.con, rows, ctx.run_id, since)
    return summary(rows, written, since, daily) | {
        "complete_through": cutoff.isoformat(),
        "incomplete_days": [d.isoformat() for d in held_back],
    }


def load_daily(ctx: RunContext) -> pl.DataFrame:
    """The daily metrics of every feature, whole history."""
    return query(ctx.con, "feature_daily")


def summary(
    rows: pl.DataFrame, written: int, since: dt.date | None, daily: pl.DataFrame
) -> dict[str, object]:
    """The small dict that goes into the run report."""
    by_kind = rows.group_by("kind").len().sort("kind").iter_rows() if rows.height else []
    return {
        "status": "ok",
        "since": since.isoformat() if since else None,
        "features": daily["feature_id"].n_unique(),
        "feature_days": daily.height,
        "anomalies": written,
        "features_flagged": rows["feature_id"].n_unique() if rows.height else 0,
        "attributed": int(rows["deployment_id"].is_not_null().sum()) if rows.height else 0,
        "by_kind": {str(kind): int(count) for kind, count in by_kind},
    }
