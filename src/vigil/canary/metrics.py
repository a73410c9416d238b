"""One metric of the canary: pick its test, run it on both samples, say what it found."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from vigil.canary.settings import CanaryMetric, CanarySettings
from vigil.canary.stats import hodges_lehmann, rate_ratio, score_difference

LOG_FLOOR_MS = 0.1
TEST_NAMES = {
    "shift": "mann-whitney / hodges-lehmann (log scale)",
    "rate": "exact binomial rate ratio",
    "scores": "mann-whitney on scores, difference of means",
}


@dataclass(frozen=True)
class MetricResult:
    """The verdict on one metric; ``effect`` and ``interval`` are on the metric's own scale
    (relative change for shift, rate ratio for rate, score difference for scores)."""

    name: str
    test: str
    verdict: str
    """Pass | Fail | NoData"""
    effect: float | None
    interval: tuple[float | None, float | None] | None
    p_value: float | None
    reason: str
    group: str
    critical: bool
    n_baseline: int
    n_candidate: int

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: name, test, verdict, effect, interval, reason (+ context)."""
        return {
            "name": self.name,
            "test": self.test,
            "verdict": self.verdict,
            "effect": self.effect,
            "interval": list(self.interval) if self.interval else None,
            "reason": self.reason,
            "p_value": self.p_value,
            "group": self.group,
            "critical": self.critical,
            "n_baseline": self.n_baseline,
            "n_candidate": self.n_candidate,
        }


def judge_metric(
    metric: CanaryMetric, baseline: pl.DataFrame, candidate: pl.DataFrame, cfg: CanarySettings
) -> MetricResult:
    """Run the metric's test on its column of both samples (nulls dropped)."""
    base, cand = _values(baseline, metric.column), _values(candidate, metric.column)
    if min(base.size, cand.size) < cfg.min_events:
        reason = (
            f"{metric.name}: too little data ({cand.size:,} candidate vs {base.size:,} baseline "
            f"values, need {cfg.min_events:,} each){_tag(metric, 'NoData')}"
        )
        return _result(metric, "NoData", None, None, None, reason, base.size, cand.size)
    if metric.test == "rate":
        return _rate(metric, base, cand, cfg)
    if metric.test == "scores":
        return _scores(metric, base, cand, cfg)
    return _shift(metric, base, cand, cfg)


def _values(frame: pl.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.zeros(0)
    return frame.get_column(column).drop_nulls().cast(pl.Float64).to_numpy()


def _rate(
    metric: CanaryMetric, base: np.ndarray, cand: np.ndarray, cfg: CanarySettings
) -> MetricResult:
    counts = (round(cand.sum()), round(base.sum()))
    rr = rate_ratio(counts, (cand.size, base.size), cfg.confidence, metric.allowed)
    verdict = "Fail" if rr.low > 1.0 + metric.allowed else "Pass"
    reason = (
        f"{metric.name} {rr.candidate_rate:.2%} vs {rr.baseline_rate:.2%}, relative risk "
        f"{_num(rr.estimate)} ({_num(rr.low)}–{_num(rr.high)}){_tag(metric, verdict)}"
    )
    interval = (_finite(rr.low), _finite(rr.high))
    effect = _finite(rr.estimate)
    return _result(metric, verdict, effect, interval, rr.p_value, reason, base.size, cand.size)


def _shift(
    metric: CanaryMetric, base: np.ndarray, cand: np.ndarray, cfg: CanarySettings
) -> MetricResult:
    """Latency-like values: the shift on the log scale, read back as a relative change."""
    medians = f"{metric.name} median {np.median(cand):.4g} vs {np.median(base):.4g}"
    logs = np.log(np.maximum(cand, LOG_FLOOR_MS)), np.log(np.maximum(base, LOG_FLOOR_MS))
    margin = math.log1p(metric.allowed)
    s = hodges_lehmann(*logs, cfg.confidence, margin, metric.worse)
    worse = s.low > margin if metric.worse == "higher" else s.high < -margin
    verdict = "Fail" if worse else "Pass"
    effect, low, high = (math.expm1(v) for v in (s.estimate, s.low, s.high))
    sign = "+" if metric.worse == "higher" else "-"
    reason = (
        f"{medians}, shift {effect:+.1%} ({low:+.1%} to {high:+.1%}), "
        f"allowed {sign}{metric.allowed:.0%}{_tag(metric, verdict)}"
    )
    return _result(metric, verdict, effect, (low, high), s.p_value, reason, base.size, cand.size)


def _scores(
    metric: CanaryMetric, base: np.ndarray, cand: np.ndarray, cfg: CanarySettings
) -> MetricResult:
    """Scores: worse when the rank test says so and the mean's interval clears the tolerance."""
    d = score_difference(cand, base, cfg.confidence, metric.worse)
    alpha = (1.0 - cfg.confidence) / 2.0
    beyond = d.low > metric.allowed if metric.worse == "higher" else d.high < -metric.allowed
    verdict = "Fail" if beyond and d.p_value < alpha else "Pass"
    sign = "+" if metric.worse == "higher" else "-"
    reason = (
        f"{metric.name} mean {d.candidate_mean:.2f} vs {d.baseline_mean:.2f}, difference "
        f"{d.estimate:+.2f} ({d.low:+.2f} to {d.high:+.2f}), allowed {sign}{metric.allowed:g}, "
        f"Mann-Whitney p={d.p_value:.2g}{_tag(metric, verdict)}"
    )
    interval = (d.low, d.high)
    return _result(metric, verdict, d.estimate, interval, d.p_value, reason, base.size, cand.size)


def _result(
    metric: CanaryMetric,
    verdict: str,
    effect: float | None,
    interval: tuple[float | None, float | None] | None,
    p_value: float | None,
    reason: str,
    n_base: int,
    n_cand: int,
) -> MetricResult:
    return MetricResult(
        metric.name,
        TEST_NAMES[metric.test],
        verdict,
        effect,
        interval,
        p_value,
        reason,
        metric.group,
        metric.critical,
        n_base,
        n_cand,
    )


def _tag(metric: CanaryMetric, verdict: str) -> str:
    return f", {'critical: ' if metric.critical else ''}{verdict}"


def _num(v: float) -> str:
    return "inf" if math.isinf(v) else f"{v:.2f}"


def _finite(v: float) -> float | None:
    return None if math.isinf(v) or math.isnan(v) else v
