"""Config for the feature-risk model: label definition, horizon, split, model, tiers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from vigil.settings_base import Section


class DegradationThresholds(Section):
    """When a feature's *future* values count as degraded against its trailing baseline.

    The three noise guards (``count_test``, ``feedback_min_z``, ``latency_min_z``) were chosen
    on tuning worlds only (docs/protocols/feature_risk_new_onset.md)."""

    latency_p95_ratio: float = Field(default=1.25, gt=1.0)
    crash_rate_increase_pp: float = Field(default=0.5, gt=0.0)
    feedback_drop: float = Field(default=0.3, gt=0.0)
    error_rate_ratio: float | None = Field(default=None, gt=1.0)
    window_days: int = Field(default=3, ge=1, le=30)
    """future values are pooled over this many consecutive days before the comparison"""
    min_z: float = Field(default=3.0, ge=0.0)
    """a rate rise must also be this many binomial standard errors (guards small features)"""
    min_feedback_count: int = Field(default=20, ge=1)
    """a feedback drop counts only when the pooled window holds this many ratings"""
    count_test: Literal["wald", "sqrt"] = "sqrt"
    """how a crash / error rise is tested against ``min_z``: 'wald' (binomial z on the rates) or
    'sqrt' (2 * (sqrt(observed count) - sqrt(expected count)), which keeps its false-alarm rate
    on the small counts of small features, where the normal approximation of 'wald' does not)"""
    feedback_min_z: float = Field(default=3.0, ge=0.0)
    """a feedback drop must also be this many standard errors of the window's rating mean (the
    rating spread estimated from the baseline's daily means); 0 = off"""
    latency_min_z: float = Field(default=3.0, ge=0.0)
    """a latency rise must also be this many day-to-day standard deviations of the baseline
    p95; 0 = off"""


class TierThresholds(Section):
    """Risk cut-offs for the act now / investigate / watch tiers."""

    act_now: float = Field(default=0.6, ge=0.0, le=1.0)
    investigate: float = Field(default=0.3, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _ordered(self) -> TierThresholds:
        if self.investigate > self.act_now:
            raise ValueError("tiers.investigate must not exceed tiers.act_now")
        return self


class ModelSettings(Section):
    """CatBoost and baseline knobs (kept small: the machine is shared).

    Defaults are strongly regularised: chosen on the calibration slice of the default demo
    world (never its test slice), where deeper / less regularised trees over-fit label noise.
    """

    iterations: int = Field(default=150, ge=10, le=5000)
    depth: int = Field(default=4, ge=1, le=10)
    learning_rate: float = Field(default=0.03, gt=0.0, le=1.0)
    l2_leaf_reg: float = Field(default=20.0, gt=0.0)
    threads: int = Field(default=2, ge=1, le=2)
    forest_trees: int = Field(default=200, ge=10, le=2000)
    calibration: Literal["platt", "isotonic"] = "platt"
    onset_weight: float = Field(default=2.0, ge=1.0, le=100.0)
    """training weight of feature-days not already elevated (persistence below the latency
    label threshold) against 1 for the others: > 1 leans the model towards new onsets. Chosen
    on development worlds (seeds 901, 902, 42), never on the benchmark worlds."""
    deployment_hazard: bool = True
    """join CatBoost with the deployment hazard (vigil.risk.hazard), fitted on the calm training
    rows; off = CatBoost alone. Chosen on tuning worlds only
    (docs/protocols/feature_risk_new_onset.md)"""


class RiskSettings(Section):
    """Feature-risk model settings."""

    horizon_days: int = Field(default=7, ge=1, le=90)
    baseline_days: int = Field(default=28, ge=7, le=365)
    thresholds: DegradationThresholds = DegradationThresholds()
    tiers: TierThresholds = TierThresholds()
    top_k: int = Field(default=5, ge=1)
    min_history_days: int = Field(default=14, ge=1)
    seed: int = 7
    test_share: float = Field(default=0.25, gt=0.0, lt=1.0)
    """share of mature score dates held out (the latest ones) for the test"""
    calibration_share: float = Field(default=0.2, gt=0.0, lt=1.0)
    """share of the remaining dates (the latest ones) used to calibrate probabilities"""
    model: ModelSettings = ModelSettings()
    promote_margin: float = Field(default=0.0, ge=0.0, le=1.0)
    """a new model replaces the champion when its test PR-AUC is at least this much higher"""
