"""The pipeline stage: rebuild the patch tables and the as-of-release risk, then score releases
with the champion (training one first when none exists and enough releases have mature outcomes).

Runs before the risk stage (which reads patch_risk_asof) and reads nothing the risk stage writes.
"""

from __future__ import annotations

import logging
from typing import Any

from vigil.context import RunContext
from vigil.errors import ModelError
from vigil.patches.asof import write_as_of_risk
from vigil.patches.features import build_patch_tables, count_patches, load_patches
from vigil.patches.inputs import MODEL_NAME
from vigil.patches.scoring import score_fact_patch
from vigil.patches.split import mature
from vigil.patches.train import train_patch_model
from vigil.registry.files import champion

log = logging.getLogger(__name__)


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Build fact_patch (idempotent) and score it; a summary for the run report."""
    cfg = ctx.cfg
    n = build_patch_tables(ctx.con, cfg.patches)
    scored_as_of = write_as_of_risk(ctx.con, cfg)
    if n == 0:
        return {"status": "skipped", "releases": 0, "message": "no releases in dim_release"}
    summary: dict[str, Any] = {"status": "ok", "releases": n, "scored_as_of": scored_as_of}
    if champion(cfg.models_dir, MODEL_NAME) is None:
        n_mature = mature(load_patches(ctx.con)).height
        if n_mature < cfg.patches.model.min_releases:
            summary.update(
                status="skipped",
                message=(
                    f"no patch model: {n_mature} releases have mature outcomes, "
                    f"training needs {cfg.patches.model.min_releases}"
                ),
            )
            return summary
        try:
            report = train_patch_model(cfg, ctx.con, rebuild=False)
        except ModelError as exc:
            summary.update(status="skipped", message=f"no patch model: {exc}")
            return summary
        summary["trained"] = {
            "version": report["version"],
            "roc_auc": report["classifier"]["catboost"]["roc_auc"],
        }
        summary["message"] = f"trained {MODEL_NAME} v{report['version']} (no champion existed)"
    summary["scored"] = score_fact_patch(ctx.con, cfg)
    summary["high_risk"] = count_patches(ctx.con)[1]
    return summary
