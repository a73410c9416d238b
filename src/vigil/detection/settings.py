"""Config for the anomaly and early-divergence detectors."""

from __future__ import annotations

from pydantic import Field

from vigil.settings_base import Section


class DetectionSettings(Section):
    """Detector settings shared by the feature-series and generic detectors."""

    min_samples: int = Field(14, ge=3)
    threshold: float = Field(0.8, gt=0.0, le=1.0)
    suppress_days: int = Field(3, ge=0)
