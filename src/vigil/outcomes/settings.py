"""Config for attributing observed regressions to releases and labelling releases from them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vigil.settings_base import Section


class EvidenceWeights(Section):
    """confidence = logistic(intercept + sum of weight x evidence) for one episode x release.

    Fitted by logistic regression on the candidate pairs of the tuning worlds (seeds 42, 901, 902)
    against the generator's truth by ``benchmarks/closed_loop.py`` (reported there under
    ``tuning.fit``); never on the worlds it reports.
    """

    intercept: float = -4.0
    touched: float = 3.0
    """the release touched the episode's feature"""
    recency: float = 1.0
    """1 / (1 + days from rollout to the episode's first day)"""
    dose: float = 0.5
    """correlation of the feature's daily bad-event rate with the release's share of its events"""
    version_lift: float = 0.5
    """log of the bad-event rate on the release's version over the rate on every other version"""
    exposure: float = 0.5
    """the release's share of the feature's events during the episode"""
    strength: float = 0.5
    """log of (1 + anomaly days x peak score) of the episode: how sure the detector was"""


class OutcomeSettings(Section):
    """Closing the loop (vigil.outcomes): which label patch-risk training uses, and how
    regressions observed in telemetry are attributed to releases."""

    label_source: Literal["file", "telemetry"] = "file"
    """``file``: the patch model learns from releases.csv error rates (patches.high_risk);
    ``telemetry``: from the regressions the detectors observed and attributed to each release"""
    window_days: int = Field(14, ge=1, le=60)
    """releases rolled out up to this many days before an episode starts are candidates; a
    release's telemetry outcome is final (mature) once this many days have passed"""
    merge_days: int = Field(3, ge=0, le=30)
    """anomalies of one feature at most this many days apart form one episode"""
    pre_days: int = Field(7, ge=1, le=60)
    """days before a candidate's rollout included in its dose-response series"""
    min_confidence: float = Field(0.5, ge=0.0, le=1.0)
    """an episode's best candidate at or above this confidence labels that release regressed"""
    weights: EvidenceWeights = EvidenceWeights()
