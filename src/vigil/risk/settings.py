"""Config for the feature-risk model: label definition, horizon, tiers."""

from __future__ import annotations

from pydantic import Field

from vigil.settings_base import Section


class DegradationThresholds(Section):
    """When a feature's *future* values count as degraded against its trailing baseline."""

    latency_p95_ratio: float = Field(1.25, gt=1.0)
    crash_rate_increase_pp: float = Field(0.5, gt=0.0)
    feedback_drop: float = Field(0.3, gt=0.0)
    error_rate_ratio: float | None = Field(None, gt=1.0)


class TierThresholds(Section):
    """Risk cut-offs for the act now / investigate / watch tiers."""

    act_now: float = Field(0.6, ge=0.0, le=1.0)
    investigate: float = Field(0.3, ge=0.0, le=1.0)


class RiskSettings(Section):
    """Feature-risk model settings."""

    horizon_days: int = Field(7, ge=1, le=90)
    baseline_days: int = Field(28, ge=7, le=365)
    thresholds: DegradationThresholds = DegradationThresholds()
    tiers: TierThresholds = TierThresholds()
    top_k: int = Field(5, ge=1)
    min_history_days: int = Field(14, ge=1)
    seed: int = 7
