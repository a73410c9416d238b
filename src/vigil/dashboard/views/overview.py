"""Page 1: the executive overview — the ranked attention list, KPI tiles, the date of the data."""

from __future__ import annotations

import streamlit as st

from vigil.dashboard import charts, palette, ui
from vigil.dashboard.formatting import TIER_LABELS
from vigil.dashboard.insights import build_insights
from vigil.dashboard.source import Source
from vigil.dashboard.views import freshness_panel

TITLE = "Overview"
URL = "overview"
ICON = ":material/dashboard:"


def render(source: Source) -> None:
    """The attention list (ranked, capped at the daily budget), KPI tiles and the tier mix."""
    ui.header("Reliability overview", source)
    freshness_panel.render(source)
    data = source.overview()
    if not data.has_data:
        ui.empty_state("The warehouse has no feature data yet.", ui.run_command(source))
        return
    ui.kpi_tiles(data.kpis, data.tiers)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("What needs attention")
        ui.insight_list(build_insights(data))
    with right:
        if not data.tiers.empty:
            st.plotly_chart(charts.tier_bar(data.tiers), width="stretch")
        else:
            ui.empty_state("No risk scores yet.", ui.run_command(source))
        if not data.ranked.empty:
            top = data.ranked.head(5)
            st.dataframe(
                ui.colored(
                    top[["feature_name", "tier", "risk"]], "tier", palette.TIER_COLORS, TIER_LABELS
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    "feature_name": "Top features by impact",
                    "tier": st.column_config.TextColumn("Tier", width="small"),
                    "risk": st.column_config.ProgressColumn(
                        "Risk", format="percent", width="small"
                    ),
                },
            )
