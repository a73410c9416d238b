"""Config for attributing observed regressions to releases and labelling releases from them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vigil.settings_base import Section


class EvidenceWeights(Section):
    """confidence = logistic(intercept + sum of weight x evidence) for one episode x release.

    Fitted by logistic regression (sklearn, C=1) on the 31,020 candidate pairs of the tuning
    worlds (seeds 42, 901, 902, each with regressions scoped to the feature and to the firmware)
    against the generator's truth by ``benchmarks/closed_loop.py --tune-only`` (reported there
    under ``tuning.fit``); never on the worlds it reports. A negative weight is the fit's: e.g.
    recency is negative once dose-response is in the model (the dose already holds the timing).
    """

    intercept: float = -11.528
    touched: float = 6.102
    """the release touched the episode's feature"""
    recency: float = -1.456
    """1 / (1 + days from rollout to the episode's first day)"""
    dose: float = 3.256
    """correlation of the feature's daily bad-event rate with the share of its events on versions
    carrying the release (deployed at or after it)"""
    version_lift: float = -0.166
    """log of the bad-event rate on versions carrying the release over the rate on older ones"""
    exposure: float = 0.992
    """the share of the feature's episode events on versions carrying the release"""
    strength: float = 1.196
    """log of (1 + anomaly days x peak score) of the episode: how sure the detector was"""
    best_split: float = 1.805
    """1 when, of the releases that touched the feature, this one's version split has the
    highest lift (above 1): the versions from it on carry the bad events (Gandalf)"""
    alone: float = 0.177
    """1 / the number of releases that touched the episode's feature (0 when this one did not):
    one suspect is likelier the cause than one of five"""


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
    min_confidence: float = Field(0.35, ge=0.0, le=1.0)
    """an episode's best candidate at or above this confidence labels that release regressed
    (0.35: the best F1 of attributed (release, feature) pairs on the tuning worlds)"""
    weights: EvidenceWeights = EvidenceWeights()
