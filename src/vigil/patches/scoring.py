"""Score patches with the champion: risk, tier, reasons (from CatBoost's SHAP values)."""

from __future__ import annotations

import datetime as dt
import logging

import duckdb
import numpy as np
import polars as pl

from vigil.config import VigilConfig
from vigil.errors import ModelError
from vigil.patches.features import load_patches, sql
from vigil.patches.holdout import matrix
from vigil.patches.inputs import MODEL_NAME
from vigil.patches.model import PatchRiskModel
from vigil.patches.reasons import reasons
from vigil.patches.tiers import LOW, tier
from vigil.registry.files import ModelVersion, champion

log = logging.getLogger(__name__)


def champion_or_fail(cfg: VigilConfig) -> ModelVersion:
    """The patch model's champion; ModelError naming the command that trains one."""
    mv = champion(cfg.models_dir, MODEL_NAME)
    if mv is None:
        raise ModelError(
            f"no trained patch model in {cfg.models_dir} (run 'vigil train patches -c vigil.yaml')"
        )
    return mv


def score_patches(df: pl.DataFrame, cfg: VigilConfig) -> pl.DataFrame:
    """Add ``risk``, ``tier``, ``reasons`` (+ expected_error_rate_per_10k, model_version)."""
    mv = champion_or_fail(cfg)
    model = PatchRiskModel.load(mv)
    X = matrix(df, model.features_)
    has_rows = df.height > 0
    risk = model.predict_proba(X) if has_rows else np.zeros(0)
    shap = model.contributions(X) if has_rows else np.zeros((0, len(model.features_)))
    rate = model.predict_rate(X) if has_rows else np.zeros(0)
    gate = cfg.patches.gate
    tiers = [tier(r, gate.block, gate.marginal) for r in risk]
    why = [
        "; ".join(reasons(model.features_, list(x), list(c), up=t != LOW))
        for x, c, t in zip(X, shap, tiers, strict=True)
    ]
    return df.with_columns(
        risk=pl.Series(risk, dtype=pl.Float64),
        tier=pl.Series(tiers, dtype=pl.Utf8),
        reasons=pl.Series(why, dtype=pl.Utf8),
        expected_error_rate_per_10k=pl.Series(rate, dtype=pl.Float64),
        model_version=pl.lit(mv.version, dtype=pl.Int32),
    )


def score_fact_patch(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> int:
    """Score every release in fact_patch with the champion and write the scores back."""
    patches = load_patches(con)
    if patches.height == 0:
        return 0
    scored = (
        score_patches(patches, cfg)
        .select(
            "firmware_version",
            "risk",
            "tier",
            "reasons",
            "model_version",
            "expected_error_rate_per_10k",
        )
        .with_columns(scored_at=pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None)))
    )
    con.register("patch_scores", scored.to_arrow())
    try:
        con.execute(sql("update_scores"))
    finally:
        con.unregister("patch_scores")
    log.info(
        "scored %d releases with %s v%s", scored.height, MODEL_NAME, scored["model_version"][0]
    )
    return scored.height
