"""Config for the Streamlit dashboard."""

from __future__ import annotations

from pydantic import Field

from vigil.settings_base import Section


class DashboardSettings(Section):
    """Where the dashboard listens. Localhost unless told otherwise."""

    host: str = "127.0.0.1"
    port: int = Field(8501, ge=1, le=65535)
