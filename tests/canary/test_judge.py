"""The judge on crafted samples with known answers, the score and the verdict rule."""

from __future__ import annotations

import polars as pl
import pytest
from pydantic import ValidationError

from vigil.canary.judge import judge, score, verdict
from vigil.canary.kayenta import classify, kayenta_judge
from vigil.canary.metrics import MetricResult
from vigil.canary.run import exit_code
from vigil.canary.settings import CanaryMetric, CanarySettings

from .samples import events, with_crashes

CFG = CanarySettings()


def by_name(found) -> dict[str, MetricResult]:
    return {m.name: m for m in found.metrics}


def test_identical_samples_pass_on_every_metric():
    base = events(20_000, seed=1)
    found = judge(base, base.clone(), CFG, names=("3.0.1", "3.0.2"))
    assert found.verdict == "Pass"
    assert found.score == 100.0
    assert [m.verdict for m in found.metrics] == ["Pass"] * 4
    latency = by_name(found)["latency"]
    assert latency.effect == 0.0 and latency.interval is not None
    assert by_name(found)["crash rate"].effect == pytest.approx(1.0)
    assert found.summary == "3.0.2 vs 3.0.1: Pass (score 100)"
    assert exit_code(found.verdict) == 0


def test_shifted_latency_fails():
    base = events(8_000, seed=1)
    cand = events(8_000, seed=2, latency_ms=260.0)
    found = judge(base, cand, CFG)
    latency = by_name(found)["latency"]
    assert latency.verdict == "Fail"
    assert latency.interval is not None and latency.interval[0] > 0.1
    assert 0.25 < (latency.effect or 0) < 0.35
    assert latency.reason.startswith("latency median ")
    assert latency.reason.endswith("allowed +10%, Fail")
    assert found.verdict == "Fail"
    assert found.score == 60.0  # performance (weight 0.4) lost; stability and experience pass
    assert exit_code(found.verdict) == 1


def test_a_latency_shift_inside_the_allowance_passes():
    base = events(8_000, seed=1)
    cand = events(8_000, seed=2, latency_ms=204.0)
    assert by_name(judge(base, cand, CFG))["latency"].verdict == "Pass"


def test_doubled_rare_crash_rate_fails_where_mann_whitney_does_not():
    base = with_crashes(events(40_000, seed=1), 40)  # 0.10%
    cand = with_crashes(events(40_000, seed=2), 80)  # 0.20%
    found = judge(base, cand, CFG)
    crash = by_name(found)["crash rate"]
    assert crash.verdict == "Fail" and crash.critical
    assert crash.reason == (
        "crash rate 0.20% vs 0.10%, relative risk 2.00 (1.35–3.00), critical: Fail"
    )
    assert found.verdict == "Fail"  # a critical metric fails the canary on its own
    # Kayenta's default: the pairwise differences are almost all 0, the interval is [0, 0]
    crashed = [f.get_column("crashed").cast(pl.Float64).to_numpy() for f in (cand, base)]
    assert classify(*crashed) == "Pass"
    assert kayenta_judge(base, cand) == ("Pass", 100.0)


def test_lower_feedback_fails_the_feedback_metric_only():
    base = events(20_000, seed=1)
    cand = events(20_000, seed=2, feedback_mean=3.6)
    found = judge(base, cand, CFG)
    assert [m.verdict for m in found.metrics] == ["Pass", "Pass", "Pass", "Fail"]
    assert found.score == 80.0 and found.verdict == "Marginal"
    assert exit_code("Marginal") == 0 and exit_code("Marginal", fail_on_marginal=True) == 1
    assert "Mann-Whitney p=" in by_name(found)["feedback"].reason


def test_too_few_events_is_nodata_with_exit_2():
    found = judge(events(50, seed=1), events(5_000, seed=2), CFG)
    assert found.verdict == "NoData" and found.score is None
    assert by_name(found)["latency"].reason == (
        "latency: too little data (5,000 candidate vs 50 baseline values, need 100 each), NoData"
    )
    assert exit_code(found.verdict) == 2


def result(name: str, group: str, verdict_: str, critical: bool = False) -> MetricResult:
    return MetricResult(name, "t", verdict_, None, None, None, "", group, critical, 1, 1)


def test_score_weights_groups_and_leaves_out_nodata():
    found = [
        result("a", "performance", "Fail"),
        result("b", "stability", "Pass"),
        result("c", "stability", "Fail"),
        result("d", "experience", "NoData"),
    ]
    # performance 0/1 x 0.4 + stability 1/2 x 0.4, over weight 0.8
    assert score(found, CFG.groups) == 25.0
    assert score([result("d", "experience", "NoData")], CFG.groups) is None


def test_verdict_rule():
    passing = [result("a", "performance", "Pass"), result("b", "stability", "Pass", True)]
    assert verdict(passing, 100.0, CFG) == "Pass"
    assert verdict(passing, 89.9, CFG) == "Marginal"
    assert verdict(passing, 69.9, CFG) == "Fail"
    critical_fail = [result("a", "performance", "Pass"), result("b", "stability", "Fail", True)]
    assert verdict(critical_fail, 95.0, CFG) == "Fail"
    critical_nodata = [result("a", "performance", "Pass"), result("b", "stability", "NoData", True)]
    assert verdict(critical_nodata, 100.0, CFG) == "NoData"


def test_settings_refuse_a_metric_without_a_group_weight():
    metric = CanaryMetric(name="x", column="latency_ms", test="shift", group="nope", allowed=0.1)
    with pytest.raises(ValidationError, match="metrics name groups without a weight: nope"):
        CanarySettings(metrics=[metric])
    with pytest.raises(ValidationError, match="marginal_score must not exceed pass_score"):
        CanarySettings(pass_score=50.0, marginal_score=60.0)
