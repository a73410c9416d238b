"""Config for the anomaly and early-divergence detectors."""

from __future__ import annotations

from pydantic import Field

from vigil.settings_base import Section


class SeriesSettings(Section):
    """The generic causal detector (`vigil detect`, NAB benchmark); windows are in rows."""

    min_samples: int = Field(default=30, ge=3)
    short_window: int = Field(default=10, ge=3)
    long_window: int = Field(default=300, ge=5)
    likelihood_short: int = Field(default=20, ge=1)
    likelihood_long: int = Field(default=1000, ge=10)
    likelihood_warmup: int = Field(default=100, ge=1)
    novelty_scale: float = Field(default=0.3, gt=0.0)
    novelty_warmup: int = Field(default=100, ge=0)
    context_bins: int = Field(default=12, ge=2)
    context_order: int = Field(default=2, ge=1)
    z_cap: float = Field(default=50.0, gt=0.0)
    seasonal: bool = True
    threshold: float = Field(default=0.15, gt=0.0, le=1.0)
    suppress_rows: int = Field(default=30, ge=0)


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
