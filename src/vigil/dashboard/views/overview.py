"""Page 1: the executive overview — the ranked attention list, KPI tiles, the date of the data.

Drawn only with elements the browser renders with the page's text (markdown, metrics, an inline
SVG chart and a markdown table), so the page is complete without waiting for a chart library or a
data grid to load.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vigil.dashboard import charts, ui
from vigil.dashboard.formatting import pct, tier_label
from vigil.dashboard.insights import build_insights
from vigil.dashboard.overview import OverviewData
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
        if data.tiers.empty:
            ui.empty_state("No risk scores yet.", ui.run_command(source))
            return
        st.markdown(charts.tier_bar(data.tiers), unsafe_allow_html=True)  # all text escaped
        st.markdown(ui.markdown_table(top_features(data)))


def top_features(data: OverviewData) -> pd.DataFrame:
    """The five highest-impact features as table text."""
    top = data.ranked.head(5)
    return pd.DataFrame(
        {
            "Top features by impact": [str(n) for n in top["feature_name"]],
            "Tier": [tier_label(t) for t in top["tier"]],
            "Risk": [pct(r) for r in top["risk"]],
        }
    )
