"""Model inputs and honest labels per feature-day, built by the SQL beside this module.

Inputs use values known at the end of the score date only; labels compare *future* values with
the trailing baseline known at the score date, and are NULL while the horizon is still open.
"""

from __future__ import annotations

import logging

import duckdb
import polars as pl

from vigil.risk.settings import RiskSettings
from vigil.risk.sql_files import load_sql, query_frame

log = logging.getLogger(__name__)

FEATURES: tuple[str, ...] = (
    "p95_ratio",
    "p95_3d_ratio",
    "p95_slope_3d",
    "p95_slope_7d",
    "p95_slope_14d",
    "p95_volatility_14d",
    "crash_rate_7d_pct",
    "crash_delta_pp",
    "crash_slope_7d",
    "error_rate_7d_pct",
    "error_ratio",
    "error_slope_7d",
    "feedback_7d",
    "feedback_delta",
    "feedback_slope_14d",
    "usage_growth",
    "lifecycle_code",
    "feature_age_days",
    "days_since_deploy",
    "deploy_rollout_pct",
    "release_files_changed",
    "release_code_churn",
    "release_lines_changed",
    "release_size_mb",
    "release_prev_error_rate",
)
"""Model input columns, in the order every model sees them.

``release_patch_risk`` (from fact_patch) is computed by the SQL but not modelled: the patches
stage scores *every* release with its current champion, so for past releases the score is
in-sample (fitted on the outcomes it would predict) and would leak into training. It can join
the inputs once fact_patch keeps an as-of-release score.
"""

LABEL = "degrading"


def _has_patch_risk(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the patches stage's fact_patch table exists with a risk column."""
    rows = con.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'fact_patch' AND column_name IN ('firmware_version', 'risk')"
    ).fetchall()
    return bool(rows[0][0] == 2)


def prepare(con: duckdb.DuckDBPyConnection, settings: RiskSettings) -> None:
    """Build the temp baseline table and the patch-risk view the input and label SQL read."""
    con.execute(load_sql("baseline"), {"baseline_span": settings.baseline_days - 1})
    con.execute(load_sql("patch_risk" if _has_patch_risk(con) else "patch_risk_empty"))


def model_inputs(con: duckdb.DuckDBPyConnection, settings: RiskSettings) -> pl.DataFrame:
    """Every feature-day with its model inputs and users exposed (needs :func:`prepare`)."""
    frame = query_frame(con, load_sql("inputs"))
    return frame.with_columns(pl.col(name).cast(pl.Float64) for name in FEATURES)


def labels(con: duckdb.DuckDBPyConnection, settings: RiskSettings) -> pl.DataFrame:
    """feature_id, score_date, degrading (NULL when immature); needs :func:`prepare`."""
    window = min(settings.thresholds.window_days, settings.horizon_days)
    params: dict[str, object] = {
        "horizon": settings.horizon_days,
        "window_span": window - 1,
        "latency_ratio": settings.thresholds.latency_p95_ratio,
        "crash_pp": settings.thresholds.crash_rate_increase_pp,
        "feedback_drop": settings.thresholds.feedback_drop,
        "error_ratio": settings.thresholds.error_rate_ratio,
        "min_z": settings.thresholds.min_z,
        "min_feedback_count": settings.thresholds.min_feedback_count,
    }
    return query_frame(con, load_sql("labels"), params)


def feature_days(con: duckdb.DuckDBPyConnection, settings: RiskSettings) -> pl.DataFrame:
    """Inputs joined with labels for every feature-day with enough history to score."""
    prepare(con, settings)
    frame = model_inputs(con, settings).join(
        labels(con, settings), on=["feature_id", "score_date"], how="left"
    )
    frame = frame.filter(pl.col("history_days") >= settings.min_history_days)
    log.info(
        "risk dataset: %d feature-days with >= %d days of history",
        frame.height,
        settings.min_history_days,
    )
    return frame
