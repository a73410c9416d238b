"""Config for patch-stability models, the CI gate, QA prioritisation and the fleet."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from vigil.settings_base import Section


class HighRiskLabel(Section):
    """How the post-release outcome becomes the high-risk label (vigil.patches.label).

    ``relative`` (default): error_rate_per_10k over the fleet's pre-release error rate at or
    above this quantile (0-1) of the TRAINING releases' ratios (percentile of error rate for
    releases without a pre-release rate; for all when under half the training releases have
    one); ``percentile``: error_rate_per_10k at or above this quantile of the TRAINING outcomes;
    ``absolute``: error_rate_per_10k at or above ``value``.
    """

    mode: Literal["relative", "percentile", "absolute"] = "relative"
    value: float = Field(0.8, ge=0.0)


class GateSettings(Section):
    """Risk cut-offs for the CI gate."""

    block: float = Field(0.6, ge=0.0, le=1.0)
    marginal: float = Field(0.35, ge=0.0, le=1.0)


class PatchModelSettings(Section):
    """Training knobs for the patch-risk models (kept small: CI machines are small).

    Split, oldest first: train | calibration | gap | test. ``split_gap_days`` (default: the
    outcome window; smaller is rejected) keeps every training and calibration label observed
    by the day the first test release ships. ``calibration_share`` of the releases before the
    gap fit the Platt calibrator; the rest train the model. ``bootstrap``: resamples behind
    every reported interval (0: none). ``asof_*``: the walk-forward
    as-of-release risk (refit every ``asof_retrain_days``, logistic regression with ``C``).
    """

    iterations: int = Field(300, ge=10)
    depth: int = Field(4, ge=1, le=8)
    learning_rate: float = Field(0.05, gt=0.0, le=1.0)
    test_share: float = Field(0.25, gt=0.0, lt=1.0)
    split_gap_days: int | None = Field(None, ge=0)
    calibration_share: float = Field(0.3, gt=0.0, lt=1.0)
    bootstrap: int = Field(1000, ge=0)
    min_releases: int = Field(12, ge=4)
    threads: int = Field(1, ge=1)
    asof_retrain_days: int = Field(14, ge=1)
    asof_c: float = Field(0.5, gt=0.0)


class RetrainSettings(Section):
    """When `vigil retrain` retrains: drift on patch features or decay on newly matured releases."""

    decay_margin: float = Field(0.05, ge=0.0)
    min_new_releases: int = Field(5, ge=1)


class PatchSettings(Section):
    """Patch-stability settings."""

    high_risk: HighRiskLabel = HighRiskLabel.model_validate({})
    gate: GateSettings = GateSettings.model_validate({})
    model: PatchModelSettings = PatchModelSettings.model_validate({})
    retrain: RetrainSettings = RetrainSettings.model_validate({})
    outcome_window_days: int = Field(30, ge=1)
    pre_window_days: int = Field(14, ge=1)
    spike_ratio: float = Field(1.5, gt=1.0)
    """read by the fleet stage: a device-day is a spike when its errors reach this ratio of the
    trailing 7 days (fleet/sql/device_daily.sql)"""
    qa_effort_column: str | None = None
    promotion_margin: float = Field(0.01, ge=0.0)
    promotion_metric: Literal["roc_auc", "pr_auc"] = "roc_auc"
    seed: int = 7

    @model_validator(mode="after")
    def _gap_covers_outcome_window(self) -> PatchSettings:
        gap = self.model.split_gap_days
        if gap is not None and gap < self.outcome_window_days:
            raise ValueError(
                f"patches.model.split_gap_days ({gap}) must be at least "
                f"patches.outcome_window_days ({self.outcome_window_days}): otherwise training "
                "uses outcomes only known after the test releases ship (leave it unset)"
            )
        return self

    @property
    def gap_days(self) -> int:
        """Days between the last training release and the first test release."""
        gap = self.model.split_gap_days
        return self.outcome_window_days if gap is None else gap
