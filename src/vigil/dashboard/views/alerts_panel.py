"""Panel: recent alerts with their delivery status (table ``alert_log`` via vigil.alerts.store)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vigil.alerts import store
from vigil.dashboard.source import Source

RECENT = 20
OUTCOME_LABELS = {
    "delivered": "delivered",
    "failed": "FAILED",
    "dry_run": "dry run (not sent)",
    "held": "held (cooldown)",
    "not_routed": "no destination",
}


def render(source: Source) -> None:
    """The latest notices, newest first; failed deliveries called out above the table."""
    st.subheader("Recent alerts")
    recent: pd.DataFrame = source.read(store.recent, RECENT)
    if recent.empty:
        st.caption("No alerts yet: they are evaluated at the end of every `vigil run`.")
        return
    failed = recent[recent["outcome"] == "failed"]
    if not failed.empty:
        st.warning(
            f"{len(failed)} of the last {len(recent)} deliveries failed; the next run tries "
            f"again. Latest error: {failed['error'].iloc[0]}",
            icon=":material/error:",
        )
    st.dataframe(
        table(recent),
        hide_index=True,
        width="stretch",
        column_config={
            "when": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
            "message": st.column_config.TextColumn("Message", width="large"),
        },
    )


def table(recent: pd.DataFrame) -> pd.DataFrame:
    """The columns people read, with outcomes in words."""
    out = pd.DataFrame(
        {
            "when": recent["evaluated_at"],
            "severity": recent["severity"],
            "rule": recent["rule"],
            "subject": recent["subject"],
            "action": recent["action"],
            "destination": recent["destination"].fillna("-"),
            "delivery": recent["outcome"].map(OUTCOME_LABELS).fillna(recent["outcome"]),
            "attempts": recent["attempts"],
            "message": recent["message"],
        }
    )
    return out
