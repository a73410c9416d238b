"""Config for baselines and drift tests (defaults follow Evidently's)."""

from __future__ import annotations

from pydantic import Field

from vigil.settings_base import Section


class DriftSettings(Section):
    """Per-column drift tests and the dataset-level rule."""

    small_sample_rows: int = Field(1000, ge=10)
    p_value: float = Field(0.05, gt=0.0, lt=1.0)
    distance_threshold: float = Field(0.1, gt=0.0)
    psi_drift: float = Field(0.1, gt=0.0)
    psi_major: float = Field(0.2, gt=0.0)
    dataset_drift_share: float = Field(0.5, gt=0.0, le=1.0)
    min_rows: int = Field(30, ge=2)
    missing_share_delta: float = Field(0.05, gt=0.0, le=1.0)
    correction: str = Field("holm", pattern="^(holm|bonferroni|none)$")
    reference_days: int = Field(28, ge=1)
    current_days: int = Field(7, ge=1)
