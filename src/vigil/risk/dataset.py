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
    "release_patch_risk",
    "p95_7d_ratio",
    "crash_3d_ratio",
    "error_3d_ratio",
    "feedback_3d_drop",
    "p95_vs_7d_max",
    "crash_3d_vs_7d",
    "error_3d_vs_7d",
    "feedback_3d_vs_7d",
    "deploys_3d",
    "deploys_7d",
    "deploys_14d",
    "deploys_28d",
    "users_7d_log",
    "deploy_risk_max_3d",
    "deploy_risk_max_7d",
    "deploy_risk_max_14d",
    "deploy_exposed_risk_7d",
    "deploy_churn_max_3d",
    "deploy_churn_sum_7d",
    "deploy_churn_sum_14d",
    "deploy_files_max_7d",
    "deploy_rollout_max_7d",
    "deploy_days_since_min_14d",
    "deploy_risk_age_0d",
    "deploy_risk_age_1d",
    "deploy_risk_age_2d",
    "deploy_risk_age_3_6d",
)
"""Model input columns, in the order every model sees them.

Patch risk (``release_patch_risk``, ``deploy_risk_*``) is the patches stage's *as-of* score
(table ``patch_risk_asof``): each release scored by a model trained only on outcomes matured
before it shipped. fact_patch's own risk is never read: for past releases it is in-sample.
"""

LABEL = "degrading"


def has_asof_patch_risk(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the patches stage's patch_risk_asof table exists and holds rows."""
    rows = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'patch_risk_asof'"
    ).fetchall()
    if rows[0][0] == 0:
        return False
    return bool(con.execute("SELECT count(*) FROM patch_risk_asof").fetchall()[0][0] > 0)


def _patch_risk(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame | None) -> None:
    """The temp table risk_patch (firmware_version, patch_risk): as-of scores only."""
    if frame is not None:
        con.register("risk_patch_frame", frame.to_arrow())
        try:
            con.execute(load_sql("patch_risk_frame"))
        finally:
            con.unregister("risk_patch_frame")
        return
    con.execute(load_sql("patch_risk" if has_asof_patch_risk(con) else "patch_risk_empty"))


def prepare(
    con: duckdb.DuckDBPyConnection,
    settings: RiskSettings,
    patch_risk: pl.DataFrame | None = None,
) -> None:
    """Build the temp baseline and patch-risk tables the input and label SQL read.

    ``patch_risk`` (firmware_version, patch_risk_asof) overrides the warehouse table.
    """
    con.execute(load_sql("baseline"), {"baseline_span": settings.baseline_days - 1})
    _patch_risk(con, patch_risk)


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
        "count_test": settings.thresholds.count_test,
        "feedback_min_z": settings.thresholds.feedback_min_z,
        "latency_min_z": settings.thresholds.latency_min_z,
    }
    return query_frame(con, load_sql("labels"), params)


def feature_days(
    con: duckdb.DuckDBPyConnection,
    settings: RiskSettings,
    patch_risk: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Inputs joined with labels for every feature-day with enough history to score."""
    prepare(con, settings, patch_risk)
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
