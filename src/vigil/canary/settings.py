"""Config for the canary judge: which metrics, their tests and tolerances, groups and thresholds.

Tolerances, group weights, score thresholds, window and minimum sample were set before any
evaluation; ``benchmarks/canary.py`` chooses the confidence (and whether Marginal counts as a
failure) on its tuning worlds (seeds 201-203) and reports on worlds 301-303.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from vigil.settings_base import Section

TestKind = Literal["shift", "rate", "scores"]
"""shift: Mann-Whitney + Hodges-Lehmann on log values (relative shift); rate: exact conditional
binomial on counts per event (relative risk); scores: Mann-Whitney + Hodges-Lehmann on raw values
(absolute shift)"""


class CanaryMetric(Section):
    """One metric of the canary: an event column, its test and how much worse is tolerated."""

    name: str
    column: Literal["latency_ms", "crashed", "error_count", "feedback_score"]
    test: TestKind
    group: str
    worse: Literal["higher", "lower"] = "higher"
    """only a change in this direction can fail the metric"""
    allowed: float = Field(ge=0.0)
    """tolerated worsening: relative for shift and rate (0.1 = +10%), absolute for scores"""
    critical: bool = False
    """a critical metric that fails fails the whole canary on its own"""


def _default_metrics() -> list[CanaryMetric]:
    return [
        CanaryMetric(
            name="latency", column="latency_ms", test="shift", group="performance", allowed=0.1
        ),
        CanaryMetric(
            name="crash rate",
            column="crashed",
            test="rate",
            group="stability",
            allowed=0.2,
            critical=True,
        ),
        CanaryMetric(
            name="error rate", column="error_count", test="rate", group="stability", allowed=0.2
        ),
        CanaryMetric(
            name="feedback",
            column="feedback_score",
            test="scores",
            group="experience",
            worse="lower",
            allowed=0.1,
        ),
    ]


class CanarySettings(Section):
    """The canary judge (`vigil canary`)."""

    window_days: int = Field(7, ge=1, le=90)
    """judge the last this many days in which both versions ran (ending at the run clock)"""
    min_events: int = Field(100, ge=1)
    """fewer events than this on either side: the metric is NoData"""
    confidence: float = Field(0.95, gt=0.5, lt=1.0)
    """two-sided confidence of every interval; a metric fails when its interval clears the
    tolerance on the worse side (a one-sided test at (1 - confidence) / 2)"""
    pass_score: float = Field(90.0, ge=0.0, le=100.0)
    """score at or above this: Pass (unless a critical metric failed)"""
    marginal_score: float = Field(70.0, ge=0.0, le=100.0)
    """score at or above this (below pass_score): Marginal; below it: Fail"""
    groups: dict[str, float] = Field(
        default_factory=lambda: {"performance": 0.4, "stability": 0.4, "experience": 0.2}
    )
    """group -> weight; a group's share of passing metrics counts by its weight in the score"""
    metrics: list[CanaryMetric] = Field(default_factory=_default_metrics)

    @model_validator(mode="after")
    def _consistent(self) -> CanarySettings:
        if self.marginal_score > self.pass_score:
            raise ValueError("marginal_score must not exceed pass_score")
        unknown = sorted({m.group for m in self.metrics} - set(self.groups))
        if unknown:
            raise ValueError(f"metrics name groups without a weight: {', '.join(unknown)}")
        names = [m.name for m in self.metrics]
        if len(set(names)) != len(names):
            raise ValueError("metric names must be unique")
        if not self.metrics:
            raise ValueError("at least one metric is needed")
        return self
