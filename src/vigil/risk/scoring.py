"""Scoring feature-days: calibrated risk, impact = risk x users exposed, tier, reason."""

from __future__ import annotations

import json
import logging

import duckdb
import numpy as np
import polars as pl

from vigil.risk.dataset import FEATURES
from vigil.risk.model import FeatureRiskModel
from vigil.risk.reasons import explain
from vigil.risk.settings import TierThresholds
from vigil.risk.sql_files import load_sql

log = logging.getLogger(__name__)

TIERS = ("act_now", "investigate", "watch")


def tier_expr(risk: pl.Expr, tiers: TierThresholds) -> pl.Expr:
    """act_now at or above tiers.act_now, investigate at or above tiers.investigate, else watch."""
    return (
        pl.when(risk >= tiers.act_now)
        .then(pl.lit("act_now"))
        .when(risk >= tiers.investigate)
        .then(pl.lit("investigate"))
        .otherwise(pl.lit("watch"))
    )


def inputs_matrix(frame: pl.DataFrame, features: tuple[str, ...] = FEATURES) -> np.ndarray:
    """The model's input matrix (float, NaN for missing) in the model's column order."""
    return frame.select(
        pl.col(f).cast(pl.Float64).fill_null(float("nan")) for f in features
    ).to_numpy()


def score(model: FeatureRiskModel, frame: pl.DataFrame, tiers: TierThresholds) -> pl.DataFrame:
    """Risk, impact, tier, reason and top factors for every row of ``frame``."""
    X = inputs_matrix(frame, model.features_)
    risk = model.predict_proba(X)
    shap = model.contributions(X)
    explained = [
        explain(model.features_, X[i], shap[i], at_risk=bool(risk[i] >= tiers.investigate))
        for i in range(len(risk))
    ]
    return (
        frame.select("feature_id", "score_date", "users_exposed")
        .with_columns(
            pl.Series("risk", risk, dtype=pl.Float64),
            pl.Series("reason", [reason for reason, _ in explained], dtype=pl.Utf8),
            pl.Series("top_factors", [json.dumps(f) for _, f in explained], dtype=pl.Utf8),
        )
        .with_columns(
            (pl.col("risk") * pl.col("users_exposed")).alias("impact"),
            tier_expr(pl.col("risk"), tiers).alias("tier"),
        )
    )


def write_scores(
    con: duckdb.DuckDBPyConnection, scored: pl.DataFrame, *, model_version: str, run_id: str
) -> int:
    """Replace the rows for these (feature, date) pairs in feature_risk; returns rows written."""
    rows = scored.with_columns(
        pl.lit(model_version).alias("model_version"), pl.lit(run_id).alias("run_id")
    ).to_arrow()
    con.register("risk_incoming", rows)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(load_sql("delete_scores"))
        con.execute(load_sql("insert_scores"))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("risk_incoming")
    log.info("feature_risk: wrote %d rows (model %s)", scored.height, model_version)
    return scored.height
