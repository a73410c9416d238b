"""Page 4: patches and the CI gate — pending patches with their decision, the QA queue, history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vigil.dashboard import palette, ui
from vigil.dashboard.pending import PendingPatches
from vigil.dashboard.source import Source
from vigil.dashboard.views import canary_panel, release_outcome_panel
from vigil.patches.inputs import ID_COLUMNS
from vigil.patches.read import released

TITLE = "Patches & CI gate"
URL = "patches"
ICON = ":material/rule:"
RISK = st.column_config.ProgressColumn("Risk", format="percent", min_value=0, max_value=1)


def render(source: Source) -> None:
    """The gate's verdict on pending patches first, then the QA queue and released patches."""
    ui.header("Patches and the CI gate", source)
    st.subheader("Pending patches")
    _pending(source.pending(), source)
    st.subheader("Released patches")
    _released(source)
    release_outcome_panel.render(source)
    canary_panel.render(source)


def _pending(pending: PendingPatches, source: Source) -> None:
    if pending.decision is None:
        st.info(pending.message or "No pending patches to score.", icon=":material/info:")
        return
    gate = source.cfg.patches.gate
    blocked = pending.patches[pending.patches["decision"] == "BLOCK"]
    verdict = (
        f"CI gate decision: **{pending.decision}** — {len(blocked)} of "
        f"{len(pending.patches)} pending patches at or above the block threshold "
        f"({gate.block:.0%}; marginal from {gate.marginal:.0%})."
    )
    (st.error if pending.decision == "BLOCKED" else st.success)(verdict)
    st.caption(
        "Risk is a calibrated probability of a high-risk release (by default: top 20% of "
        "post-release error rate over the fleet's error rate before release): the model's "
        "scores are mapped by a Platt calibration fitted on releases that shipped before its "
        "test period."
    )
    table = pending.patches
    pid = next((c for c in ID_COLUMNS if c in table), ID_COLUMNS[0])  # the gate's own id rule
    shown = table[[c for c in (pid, "decision", "risk", "reasons") if c in table]]
    st.dataframe(
        ui.colored(shown, "decision", palette.GATE_COLORS),
        hide_index=True,
        width="stretch",
        column_config={
            pid: "Patch",
            "decision": "Gate",
            "risk": RISK,
            "reasons": st.column_config.TextColumn("Why", width="large"),
        },
    )
    if not pending.qa_queue.empty:
        st.markdown(
            "**QA queue** — test in this order: most expected regressions per line of effort"
        )
        queue = pending.qa_queue
        st.dataframe(
            queue[
                [
                    c
                    for c in ("qa_rank", pid, "bucket", "risk", "effort", "risk_per_kloc")
                    if c in queue
                ]
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "qa_rank": "Order",
                pid: "Patch",
                "bucket": "Priority",
                "risk": RISK,
                "effort": st.column_config.NumberColumn("Effort (lines)", format="%d"),
                "risk_per_kloc": st.column_config.NumberColumn("Risk per kLOC", format="%.2f"),
            },
        )


def _released(source: Source) -> None:
    patches: pd.DataFrame = source.read(released)
    if patches.empty:
        ui.empty_state("No released patches in the warehouse yet.", ui.run_command(source))
        return
    columns = [
        "firmware_version",
        "release_date",
        "patch_type",
        "tier",
        "risk",
        "reasons",
        "error_rate_per_10k",
        "rma_rate",
        "outcome_mature",
        "model_version",
    ]
    st.dataframe(
        ui.colored(patches[columns], "tier", palette.PATCH_TIER_COLORS),
        hide_index=True,
        width="stretch",
        column_config={
            "firmware_version": "Firmware",
            "release_date": st.column_config.DateColumn("Released", format="MMM D, YYYY"),
            "patch_type": "Type",
            "tier": "Risk tier",
            "risk": RISK,
            "reasons": st.column_config.TextColumn("Why", width="large"),
            "error_rate_per_10k": st.column_config.NumberColumn("Errors / 10k", format="%.1f"),
            "rma_rate": st.column_config.NumberColumn("RMA rate", format="percent"),
            "outcome_mature": "Outcome known",
        },
    )
