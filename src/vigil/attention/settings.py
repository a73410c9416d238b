"""Config for the attention list: the daily budget and how each signal turns into a probability.

Every item carries the probability that it is *right*: a real regression is in progress on it or
starts within the risk horizon. A feature's probability comes from a small logistic model over its
signals (its calibrated feature-risk score, an anomaly in the look-back window, a threshold
crossing on the day); a firmware's from the hit rate of the fleet's immediate tier; pending
patches carry the gate's risk. Every default below was fitted or measured on the tuning worlds of
``benchmarks/attention.py`` (seeds 101-103, 75 days), never on the worlds it reports.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vigil.settings_base import Section


class FeatureEvidence(Section):
    """P(right) = logistic(intercept + risk x logit(feature risk) + anomaly + crossing).

    Fitted by logistic regression on the tuning worlds' feature-days (3,712 rows), with the
    feature-risk model that ships (refitted whenever that model changes: the benchmark reports the
    fit as ``tuning.feature_evidence_fit``). A crossing or an anomaly adds less than its own hit
    rate suggests, because the risk score already sees much of what they see.
    """

    intercept: float = -0.433
    risk: float = 0.860
    """weight of logit(feature-risk score)"""
    anomaly: float = 0.516
    """added when the feature had an anomaly in the look-back window"""
    crossing: float = 0.651
    """added when the feature's day is past a degradation threshold"""
    prior_risk: float = Field(0.2, gt=0.0, lt=1.0)
    """the risk score assumed for a feature that has none (no model yet)"""


class SignalWeights(Section):
    """Probability that an item raised by a non-feature signal is right."""

    fleet: float = Field(0.73, ge=0.0, le=1.0)
    """a firmware with segments in the fleet's immediate tier (tuning hit rate 0.728 of 301)"""
    drift: float = Field(0.1, ge=0.0, le=1.0)
    """dataset drift: a data problem, not a regression; a policy weight, not measured"""


class AttentionSettings(Section):
    """The ranked attention list behind the overview and the alerts."""

    budget: int = Field(10, ge=1, le=1000)
    """items kept per day; the rest are counted, not shown"""
    lookback_days: int = Field(7, ge=1, le=90)
    """anomalies this many days back (the latest day included) count as evidence"""
    min_risk_tier: Literal["act_now", "investigate"] = "investigate"
    """feature-risk scores from this tier up are candidates on their own"""
    rank_by: Literal["probability", "expected_users"] = "probability"
    """the ranking scale: probability of being right, or probability x users exposed"""
    features: FeatureEvidence = FeatureEvidence()
    weights: SignalWeights = SignalWeights()
