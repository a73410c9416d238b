"""The feature-risk model in the registry: register, promote, and load the champion verified."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from vigil.config import VigilConfig
from vigil.modelling.split import TimeSplit
from vigil.risk.model import CALIBRATOR_FILE, META_FILE, MODEL_FILE, FeatureRiskModel

if TYPE_CHECKING:
    from vigil.registry import ModelRegistry, ModelVersion

log = logging.getLogger(__name__)

MODEL_NAME = "feature_risk"


def registry(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> ModelRegistry:
    """The workspace's model registry."""
    from vigil.registry import ModelRegistry

    return ModelRegistry(con, cfg.models_dir)


def load_champion(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig
) -> tuple[FeatureRiskModel, ModelVersion] | None:
    """The champion model with every file's sha256 verified, or None when there is none."""
    reg = registry(con, cfg)
    mv = reg.get(MODEL_NAME)
    if mv is None:
        return None
    for name in (MODEL_FILE, CALIBRATOR_FILE, META_FILE):
        reg.verified_path(mv, name)  # the registry's sha256 check; ModelError on mismatch
    return FeatureRiskModel.load(mv.path), mv


def register_and_promote(
    con: duckdb.DuckDBPyConnection,
    cfg: VigilConfig,
    model: FeatureRiskModel,
    *,
    split: TimeSplit,
    metrics: dict[str, Any],
    scores: tuple[float | None, float | None],
) -> tuple[ModelVersion, bool]:
    """Register a trained model; it becomes champion if it beats the current one on the hold-out.

    ``scores`` is (champion PR-AUC, new model PR-AUC), both on this run's test slice.
    """
    reg = registry(con, cfg)
    with tempfile.TemporaryDirectory(prefix="vigil-risk-") as tmp:
        mv = reg.register(
            MODEL_NAME,
            model.save(Path(tmp)),
            metrics=metrics,
            features=list(model.features_),
            train_start=split.train_start,
            train_end=split.train_end,
            params=cfg.risk.model.model_dump(),
        )
    promoted = reg.promote_if_better(
        MODEL_NAME,
        mv.version,
        metric="pr_auc",
        margin=cfg.risk.promote_margin,
        champion_score=scores[0],
        challenger_score=scores[1],
    )
    log.info("feature_risk v%d registered (champion: %s)", mv.version, promoted)
    return mv, promoted
