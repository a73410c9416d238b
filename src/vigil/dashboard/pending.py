"""The CI gate's view of pending patches: score the pending-patches file with the champion model."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd

from vigil.config import VigilConfig
from vigil.errors import VigilError

log = logging.getLogger(__name__)

BLOCK, MARGINAL, PASS = "BLOCK", "MARGINAL", "PASS"


@dataclass
class PendingPatches:
    """Scored pending patches with a gate decision each, or the reason there are none."""

    patches: pd.DataFrame = field(default_factory=pd.DataFrame)
    decision: str | None = None
    message: str = ""
    qa_queue: pd.DataFrame = field(default_factory=pd.DataFrame)


def gate_decision(risk: float, block: float, marginal: float) -> str:
    """BLOCK / MARGINAL / PASS for one patch, with the gate's thresholds."""
    if risk >= block:
        return BLOCK
    return MARGINAL if risk >= marginal else PASS


def overall_decision(decisions: pd.Series) -> str:
    """The gate blocks when any patch is blocked."""
    return "BLOCKED" if (decisions == BLOCK).any() else "PASS"


def score_pending(cfg: VigilConfig) -> PendingPatches:
    """Score the configured pending-patches file; a message instead when that is not possible."""
    path = cfg.dashboard.pending_patches_path(cfg.root)
    if path is None or not path.is_file():
        return PendingPatches(message=f"No pending patches file at {path}.")
    try:
        import polars as pl

        from vigil.patches.scoring import score_patches
    except ImportError:
        return PendingPatches(message="Patch scoring is not installed yet (vigil.patches.scoring).")
    try:
        scored = score_patches(pl.read_csv(path), cfg).to_pandas()
    except VigilError as exc:
        return PendingPatches(message=str(exc))
    gate = cfg.patches.gate
    scored["decision"] = [
        gate_decision(float(r), gate.block, gate.marginal) for r in scored["risk"]
    ]
    scored = scored.sort_values("risk", ascending=False, ignore_index=True)
    return PendingPatches(
        patches=scored,
        decision=overall_decision(scored["decision"]),
        qa_queue=qa_queue(scored, cfg),
    )


def qa_queue(scored: pd.DataFrame, cfg: VigilConfig) -> pd.DataFrame:
    """Pending patches in QA order (risk per unit of effort) from the QA area, when installed."""
    try:
        import polars as pl

        from vigil.patches.qa import prioritise
    except ImportError:
        return pd.DataFrame()
    try:
        ranked = prioritise(pl.from_pandas(scored), cfg.patches.qa_effort_column, "risk")
    except VigilError as exc:
        log.warning("QA queue unavailable: %s", exc)
        return pd.DataFrame()
    return ranked.to_pandas()
