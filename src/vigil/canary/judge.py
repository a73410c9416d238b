"""Kayenta's structure over the metric verdicts: weighted groups, critical metrics, one score and
Pass / Marginal / Fail / NoData. The verdict rule is one pure function every caller uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from vigil.canary.metrics import MetricResult, judge_metric
from vigil.canary.settings import CanarySettings

VERDICTS = ("Pass", "Marginal", "Fail", "NoData")


@dataclass(frozen=True)
class Judgement:
    """The canary's answer for one baseline / candidate pair."""

    baseline: str
    candidate: str
    verdict: str
    score: float | None
    metrics: list[MetricResult]
    feature_id: str | None = None
    window: tuple[dt.datetime, dt.datetime] | None = None
    summary: str = ""

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `vigil canary --json`."""
        start, end = self.window if self.window else (None, None)
        return {
            "verdict": self.verdict,
            "score": self.score,
            "baseline": self.baseline,
            "candidate": self.candidate,
            "feature_id": self.feature_id,
            "window_start": start,
            "window_end": end,
            "summary": self.summary,
            "metrics": [m.as_dict() for m in self.metrics],
        }


def score(results: list[MetricResult], groups: dict[str, float]) -> float | None:
    """100 x the weighted share of passing metrics; each group counts by its weight, metrics
    equally within it; NoData metrics and groups without data are left out."""
    total, weight = 0.0, 0.0
    for group, w in groups.items():
        judged = [r for r in results if r.group == group and r.verdict != "NoData"]
        if not judged or w <= 0:
            continue
        total += w * sum(r.verdict == "Pass" for r in judged) / len(judged)
        weight += w
    return None if weight == 0 else round(100.0 * total / weight, 2)


def verdict(results: list[MetricResult], value: float | None, cfg: CanarySettings) -> str:
    """NoData when nothing (or a critical metric) could be judged; Fail on a critical failure;
    else the score against pass_score and marginal_score."""
    if value is None or any(r.critical and r.verdict == "NoData" for r in results):
        return "NoData"
    if any(r.critical and r.verdict == "Fail" for r in results):
        return "Fail"
    if value >= cfg.pass_score:
        return "Pass"
    return "Marginal" if value >= cfg.marginal_score else "Fail"


def judge(
    baseline: pl.DataFrame,
    candidate: pl.DataFrame,
    cfg: CanarySettings,
    *,
    names: tuple[str, str] = ("baseline", "candidate"),
    feature_id: str | None = None,
    window: tuple[dt.datetime, dt.datetime] | None = None,
) -> Judgement:
    """Judge ``candidate`` events against ``baseline`` events (same columns, same window)."""
    results = [judge_metric(m, baseline, candidate, cfg) for m in cfg.metrics]
    value = score(results, cfg.groups)
    outcome = verdict(results, value, cfg)
    failed = [r.name for r in results if r.verdict == "Fail"]
    summary = (
        f"{names[1]} vs {names[0]}: {outcome}"
        + (f" (score {value:.0f})" if value is not None else "")
        + (f"; worse on {', '.join(failed)}" if failed else "")
    )
    return Judgement(names[0], names[1], outcome, value, results, feature_id, window, summary)
