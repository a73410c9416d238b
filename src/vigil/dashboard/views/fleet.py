"""Page 5: the device fleet — model x firmware heatmap, age-weighted risk, error trends."""

from __future__ import annotations

import streamlit as st

from vigil.dashboard import charts, palette, ui
from vigil.dashboard.source import Source
from vigil.fleet.queries import fleet_risk, heatmap
from vigil.fleet.read import error_trend

TITLE = "Fleet"
URL = "fleet"
ICON = ":material/devices:"
HEATMAP_TITLE = "Errors per 10k devices: model × firmware (newest firmware)"
WATCH_COLUMNS = [
    "device_model",
    "firmware_version",
    "age_band",
    "tier",
    "weighted_risk",
    "devices",
    "error_rate_per_10k",
    "rma_rate",
    "error_rate_trend",
]


def render(source: Source) -> None:
    """Heatmap first, then the watch list and the trends."""
    ui.header("Device fleet", source)
    cells = source.read(heatmap)
    if cells.empty:
        ui.empty_state("No device fleet data yet.", ui.run_command(source))
        return
    st.plotly_chart(charts.heatmap(cells, "error_rate_per_10k", HEATMAP_TITLE), width="stretch")
    _watch_list(source)
    trend = source.read(error_trend)
    if not trend.empty:
        st.plotly_chart(
            charts.lines_by(
                trend,
                "event_date",
                "error_rate_per_10k",
                "device_model",
                "Error rate per device model",
                "errors per 10k devices",
            ),
            width="stretch",
        )


def _watch_list(source: Source) -> None:
    """Every device group by age-weighted risk (the fleet area's order), riskiest first."""
    risk = source.read(fleet_risk)
    st.subheader("Watch list (age-weighted risk)")
    if risk.empty:
        ui.empty_state("No fleet risk scores yet.", ui.run_command(source))
        return
    st.dataframe(
        ui.colored(risk[WATCH_COLUMNS], "tier", palette.FLEET_TIER_COLORS),
        hide_index=True,
        width="stretch",
        column_config={
            "device_model": "Device model",
            "firmware_version": "Firmware",
            "age_band": "Age band",
            "tier": "Tier",
            "weighted_risk": st.column_config.NumberColumn("Age-weighted risk", format="%.2f"),
            "error_rate_per_10k": st.column_config.NumberColumn("Errors / 10k", format="%.1f"),
            "rma_rate": st.column_config.NumberColumn("RMA rate", format="percent"),
            "error_rate_trend": st.column_config.NumberColumn("Error trend", format="%+.2f"),
        },
    )
