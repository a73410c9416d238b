"""The Patches page's view of pending patches: the CI gate's own decision, not a second copy.

Scoring goes through :func:`vigil.patches.gate.run_gate`, the function behind ``vigil gate``,
so the page and CI cannot disagree on a patch or on the overall decision.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd

from vigil.config import VigilConfig
from vigil.errors import VigilError
from vigil.patches.gate import configured_gate
from vigil.patches.tiers import VERDICT

log = logging.getLogger(__name__)


@dataclass
class PendingPatches:
    """Scored pending patches with the gate's verdict each, or the reason there are none."""

    patches: pd.DataFrame = field(default_factory=pd.DataFrame)
    decision: str | None = None
    message: str = ""
    qa_queue: pd.DataFrame = field(default_factory=pd.DataFrame)


def score_pending(cfg: VigilConfig) -> PendingPatches:
    """Run the gate on the configured pending-patches file; a message when it cannot run."""
    path = cfg.dashboard.pending_patches_path(cfg.root)
    if path is None or not path.is_file():
        return PendingPatches(message=f"No pending patches file at {path}.")
    try:
        result = configured_gate(cfg, path)
    except VigilError as exc:
        return PendingPatches(message=str(exc))
    scores = pd.DataFrame(result.payload["patches"])
    inputs = pd.read_csv(path, dtype=str, keep_default_na=False)
    scored = pd.concat(
        [inputs.drop(columns=["risk", "tier", "reasons"], errors="ignore"), scores], axis=1
    )
    scored["decision"] = scored["tier"].map(VERDICT)
    scored["reasons"] = scored["reasons"].map("; ".join)
    scored = scored.sort_values("risk", ascending=False, ignore_index=True)
    return PendingPatches(
        patches=scored, decision=result.payload["decision"], qa_queue=qa_queue(scored, cfg)
    )


def qa_queue(scored: pd.DataFrame, cfg: VigilConfig) -> pd.DataFrame:
    """Pending patches in QA order (risk per unit of effort)."""
    import polars as pl

    from vigil.patches.qa import prioritise

    frame = pl.from_pandas(scored.drop(columns=["decision"])).with_columns(
        pl.col(c).cast(pl.Float64, strict=False)
        for c in scored.columns
        if c in ("lines_added", "lines_deleted", "code_churn", "files_changed", "patch_size_mb")
    )
    try:
        ranked = prioritise(frame, cfg.patches.qa_effort_column, "risk")
    except VigilError as exc:
        log.warning("QA queue unavailable: %s", exc)
        return pd.DataFrame()
    return ranked.to_pandas()
