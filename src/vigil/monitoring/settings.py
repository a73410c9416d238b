"""Config for baselines and drift tests (defaults follow Evidently's)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vigil.settings_base import Section

ColumnKind = Literal["numeric", "categorical", "binary"]

# The daily metrics the stage watches: levels, not the rolling windows or deltas derived from them.
DEFAULT_DRIFT_COLUMNS = [
    "usage_count",
    "active_users",
    "sessions",
    "latency_mean_ms",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "crash_rate",
    "error_rate",
    "feedback_mean",
    "feedback_negative_share",
    "usage_share",
]


class DriftSettings(Section):
    """Per-column drift tests, the dataset-level rule, and the baseline the stage keeps."""

    small_sample_rows: int = Field(1000, ge=10)
    """p-value tests while either sample has at most this many rows; above it, distances"""
    p_value: float = Field(0.05, gt=0.0, lt=1.0)
    distance_threshold: float = Field(0.1, gt=0.0)
    psi_drift: float = Field(0.1, gt=0.0)
    psi_major: float = Field(0.2, gt=0.0)
    psi_bins: int = Field(10, ge=2, le=100)
    """PSI bins for numeric columns: quantiles of the reference"""
    dataset_drift_share: float = Field(0.5, gt=0.0, le=1.0)
    min_rows: int = Field(30, ge=2)
    """fewer non-missing rows on either side -> 'insufficient data', never drift"""
    missing_share_delta: float = Field(0.05, gt=0.0, le=1.0)
    """smallest change in missing share that counts as drift (it must also be significant)"""
    correction: Literal["holm", "bonferroni", "none"] = "holm"
    reference_days: int = Field(28, ge=1)
    current_days: int = Field(7, ge=1)
    columns: list[str] = Field(default_factory=lambda: list(DEFAULT_DRIFT_COLUMNS))
    """fact_feature_daily columns the pipeline stage compares"""
    kinds: dict[str, ColumnKind] = Field(default_factory=dict)
    """column -> kind, overriding inference"""
    histogram_bins: int = Field(10, ge=2, le=100)
    refresh_baseline: bool = False
    """refresh the stored baseline on the next run (otherwise only when none exists)"""
