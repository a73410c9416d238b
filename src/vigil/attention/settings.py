"""Config for the attention list: the daily budget and what each kind of signal is worth.

Each signal carries a probability that the item it names is "right": a real regression is in
progress on it or starts within the risk horizon. Feature risk brings its own (calibrated)
probability; the other signals carry a hit rate. The defaults below are the hit rates measured on
the tuning worlds of ``benchmarks/attention.py`` (seeds 101-103, 75 days: anomaly 0.341 of 1,145,
crossing 0.337 of 1,312, fleet firmware 0.743 of 572), never on the worlds it reports.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vigil.settings_base import Section


class SignalWeights(Section):
    """Probability that an item raised by each signal is right (hit rates on tuning worlds)."""

    anomaly: float = Field(0.34, ge=0.0, le=1.0)
    """a feature with at least one anomaly in the look-back window"""
    crossing: float = Field(0.34, ge=0.0, le=1.0)
    """a feature whose latest day is past a degradation threshold"""
    fleet: float = Field(0.74, ge=0.0, le=1.0)
    """a firmware with device segments in the fleet's immediate tier"""
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
    weights: SignalWeights = SignalWeights()
