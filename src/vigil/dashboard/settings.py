"""Config for the Streamlit dashboard."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from vigil.settings_base import Section


class DashboardSettings(Section):
    """Where the dashboard listens (localhost unless told otherwise) and what it shows."""

    host: str = "127.0.0.1"
    port: int = Field(8501, ge=1, le=65535)
    pending_patches: str | None = "data/pending_patches.csv"
    """pre-release patches shown with their CI-gate decision; relative to the config's folder"""
    anomaly_days: int = Field(7, ge=1, le=90)
    """how far back the overview looks for anomalies"""
    sparkline_days: int = Field(28, ge=7, le=365)

    def pending_patches_path(self, root: Path) -> Path | None:
        """Absolute path of the pending-patches file, or None when not configured."""
        return None if self.pending_patches is None else (root / self.pending_patches).resolve()
