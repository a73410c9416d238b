"""Config for the anomaly and early-divergence detectors."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from vigil.settings_base import Section

ComponentName = Literal["level", "season", "novelty", "context", "discord"]


class SeriesSettings(Section):
    """The generic causal detector (`vigil detect`, NAB benchmark); windows are in rows.

    The defaults are the settings tuned on all 41 NAB files of benchmarks/data/nab; the
    leave-one-category-out score in benchmarks/results/nab.json is the honest estimate of how
    they generalise.
    """

    min_samples: int = Field(default=30, ge=3)
    components: tuple[ComponentName, ...] = ("level", "season", "novelty", "context", "discord")
    long_window: int = Field(default=300, ge=5)
    likelihood_short: int = Field(default=10, ge=1)
    likelihood_long: int = Field(default=1_000_000, ge=10)  # more rows than a series: all history
    likelihood_warmup: int = Field(default=300, ge=1)
    novelty_scale: float = Field(default=0.3, gt=0.0)
    novelty_warmup: int = Field(default=100, ge=0)
    context_bins: int = Field(default=12, ge=2)
    context_order: int = Field(default=2, ge=1)
    discord_lengths: tuple[int, ...] = (5, 20)
    discord_lookback: int = Field(default=5000, ge=2)  # rows searched for a neighbour
    z_cap: float = Field(default=50.0, gt=0.0)
    seasonal: bool = True
    threshold: float = Field(default=0.18, gt=0.0, le=1.0)
    suppress_rows: int = Field(default=30, ge=0)

    @field_validator("components")
    @classmethod
    def _some_distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one component")
        if len(set(value)) != len(value):
            raise ValueError("each component may be named once")
        return value

    @field_validator("discord_lengths")
    @classmethod
    def _positive_lengths(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or min(value) < 1:
            raise ValueError("give at least one discord length, each at least 1")
        return value


class FeatureSettings(Section):
    """The feature-series detector's evidence thresholds (daily data; windows in days)."""

    baseline_days: int = Field(default=28, ge=7)
    weekly_seasonality: bool = True
    spike_z: float = Field(default=6.0, gt=0.0)
    cusum_slack: float = Field(default=1.0, ge=0.0)
    cusum_cap: float = Field(default=4.0, gt=0.0)
    cusum_limit: float = Field(default=6.0, gt=0.0)
    trend_days: int = Field(default=10, ge=4)
    trend_rise: float = Field(default=4.0, gt=0.0)
    trend_min_corr: float = Field(default=0.7, gt=0.0, le=1.0)
    combined_days: int = Field(default=3, ge=1)
    combined_z: float = Field(default=1.25, gt=0.0)


class DetectionSettings(Section):
    """Detector settings: the feature-series detector (pipeline) and the generic one (CLI)."""

    min_samples: int = Field(default=14, ge=3)
    threshold: float = Field(default=0.8, gt=0.0, le=1.0)
    suppress_days: int = Field(default=3, ge=0)
    lateness_hours: float = Field(default=6.0, ge=0.0, le=24.0 * 14)
    """a day is scored once this many hours have passed since it ended (late events arrive)"""
    blame_days: int = Field(default=14, ge=0, le=365)
    """an anomaly is attributed only to a deployment touching its feature this many days before"""
    feature: FeatureSettings = FeatureSettings()
    series: SeriesSettings = SeriesSettings()
