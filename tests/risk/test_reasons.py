"""Reasons cite only factors whose contributions agree with the verdict."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from vigil.risk.dataset import FEATURES
from vigil.risk.reasons import cited_factors, describe, explain, topic

N = len(FEATURES)
finite = st.floats(-5, 5, allow_nan=False)


def test_phrases_read_like_the_design() -> None:
    assert describe("p95_slope_7d", 0.31 / 6) == "p95 latency up 31% in 7 days"
    assert describe("feedback_delta", -0.4) == "feedback fell 0.4"
    assert describe("crash_delta_pp", 0.62) == "crash rate up 0.62 pp on baseline"
    assert describe("days_since_deploy", float("nan")) == "no deployment touched it yet"
    assert describe("days_since_deploy", 1.0) == "a deployment touched it 1 day ago"


def test_two_up_factors_join_with_while() -> None:
    values = np.zeros(N)
    values[FEATURES.index("p95_slope_7d")] = 0.31 / 6
    values[FEATURES.index("feedback_delta")] = -0.4
    shap = np.zeros(N)
    shap[FEATURES.index("p95_slope_7d")] = 1.2
    shap[FEATURES.index("feedback_delta")] = 0.7
    shap[FEATURES.index("usage_growth")] = -2.0
    reason, factors = explain(FEATURES, values, shap, at_risk=True)
    assert reason == "p95 latency up 31% in 7 days while feedback fell 0.4"
    assert [f["factor"] for f in factors[:3]] == ["p95_slope_7d", "feedback_delta", "usage_growth"]
    assert [f["cited"] for f in factors[:3]] == [True, True, False]


@settings(deadline=None)
@given(
    contributions=arrays(np.float64, N, elements=finite),
    values=arrays(np.float64, N, elements=finite),
    at_risk=st.booleans(),
)
def test_cited_factors_agree_in_sign(
    contributions: np.ndarray, values: np.ndarray, at_risk: bool
) -> None:
    cited = cited_factors(contributions, at_risk, FEATURES)
    assert len({topic(FEATURES[i]) for i in cited}) == len(cited)
    for i in cited:
        assert contributions[i] > 0 if at_risk else contributions[i] < 0
    # the strongest factor in the verdict's direction is always cited when there is one
    signed = contributions if at_risk else -contributions
    if signed.max() > 0:
        assert int(np.argmax(signed)) in cited or signed[cited[0]] == signed.max()
    reason, factors = explain(FEATURES, values, contributions, at_risk)
    assert reason
    assert all(f["contribution"] > 0 for f in factors if f["cited"] and at_risk)
    assert all(f["contribution"] < 0 for f in factors if f["cited"] and not at_risk)
    assert sum(f["cited"] for f in factors) == len(cited)


def test_no_up_factor_means_no_invented_reason() -> None:
    reason, _ = explain(FEATURES, np.zeros(N), -np.ones(N), at_risk=True)
    assert reason == "No single factor stands out"
