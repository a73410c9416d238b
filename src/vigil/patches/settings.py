"""Config for patch-stability models, the CI gate, QA prioritisation and the fleet."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vigil.settings_base import Section


class HighRiskLabel(Section):
    """How the post-release outcome becomes the high-risk label."""

    mode: Literal["percentile", "absolute"] = "percentile"
    value: float = Field(0.8, ge=0.0)


class GateSettings(Section):
    """Risk cut-offs for the CI gate."""

    block: float = Field(0.6, ge=0.0, le=1.0)
    marginal: float = Field(0.35, ge=0.0, le=1.0)


class PatchSettings(Section):
    """Patch-stability settings."""

    high_risk: HighRiskLabel = HighRiskLabel()
    gate: GateSettings = GateSettings()
    outcome_window_days: int = Field(30, ge=1)
    spike_ratio: float = Field(1.5, gt=1.0)
    qa_effort_column: str | None = None
    promotion_margin: float = Field(0.01, ge=0.0)
    seed: int = 7
