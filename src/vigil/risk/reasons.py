"""Plain-language reasons from per-prediction SHAP contributions.

A reason cites only factors whose contribution points the same way as the verdict: for a feature
at risk, the inputs pushing risk *up*; for a low-risk feature, the inputs holding it *down*.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

Phrase = Callable[[float], str]

LIFECYCLE = {0: "alpha", 1: "beta", 2: "GA", 3: "deprecated"}


def _updown(value: float, up: str = "up", down: str = "down") -> str:
    return up if value >= 0 else down


def _slope(days: int) -> Phrase:
    return lambda v: f"p95 latency {_updown(v)} {abs(v) * (days - 1):.0%} in {days} days"


PHRASES: dict[str, Phrase] = {
    "p95_ratio": lambda v: f"p95 latency {_updown(v - 1)} {abs(v - 1):.0%} on its baseline",
    "p95_3d_ratio": lambda v: f"3-day p95 latency {_updown(v - 1)} {abs(v - 1):.0%} on baseline",
    "p95_slope_3d": _slope(3),
    "p95_slope_7d": _slope(7),
    "p95_slope_14d": _slope(14),
    "p95_volatility_14d": lambda v: f"p95 latency swinging ±{v:.0%} over 14 days",
    "crash_rate_7d_pct": lambda v: f"crash rate {v:.2f}% over 7 days",
    "crash_delta_pp": lambda v: f"crash rate {_updown(v)} {abs(v):.2f} pp on baseline",
    "crash_slope_7d": lambda v: (
        f"crash rate {_updown(v, 'rising', 'falling')} {abs(v) * 6:.2f} pp in 7 days"
    ),
    "error_rate_7d_pct": lambda v: f"error rate {v:.2f}% over 7 days",
    "error_ratio": lambda v: f"error rate {_updown(v - 1)} {abs(v - 1):.0%} on baseline",
    "error_slope_7d": lambda v: (
        f"error rate {_updown(v, 'rising', 'falling')} {abs(v) * 6:.2f} pp in 7 days"
    ),
    "feedback_7d": lambda v: f"feedback averaging {v:.1f} of 5",
    "feedback_delta": lambda v: f"feedback {_updown(v, 'rose', 'fell')} {abs(v):.1f}",
    "feedback_slope_14d": lambda v: (
        f"feedback {_updown(v, 'rising', 'falling')} {abs(v) * 13:.2f} in 14 days"
    ),
    "usage_growth": lambda v: f"active users {_updown(v)} {abs(v):.0%}",
    "lifecycle_code": lambda v: f"{LIFECYCLE.get(round(v), 'unknown-stage')} feature",
    "feature_age_days": lambda v: f"feature launched {v:.0f} days ago",
    "days_since_deploy": lambda v: (
        "a deployment touched it "
        + ("today" if v < 1 else "1 day ago" if v < 2 else f"{v:.0f} days ago")
    ),
    "deploy_rollout_pct": lambda v: f"latest rollout at {v:.0f}%",
    "release_files_changed": lambda v: f"its latest release changed {v:.0f} files",
    "release_code_churn": lambda v: f"its latest release churned {v:.0f} lines",
    "release_lines_changed": lambda v: f"its latest release changed {v:.0f} lines",
    "release_size_mb": lambda v: f"its latest release is {v:.0f} MB",
    "release_prev_error_rate": lambda v: f"previous firmware error rate {v:.2f}",
    "release_patch_risk": lambda v: f"its latest patch scored {v:.0%} risk",
    "p95_7d_ratio": lambda v: f"7-day p95 latency {_updown(v - 1)} {abs(v - 1):.0%} on baseline",
    "crash_3d_ratio": lambda v: f"3-day crash rate at {v:.1f}× its baseline",
    "error_3d_ratio": lambda v: f"3-day error rate at {v:.1f}× its baseline",
    "feedback_3d_drop": lambda v: f"3-day feedback {_updown(-v)} {abs(v):.0%} on baseline",
    "p95_vs_7d_max": lambda v: f"p95 latency at {v:.0%} of its 7-day peak",
    "crash_3d_vs_7d": lambda v: f"3-day crash rate at {v:.1f}× its 7-day rate",
    "error_3d_vs_7d": lambda v: f"3-day error rate at {v:.1f}× its 7-day rate",
    "feedback_3d_vs_7d": lambda v: f"3-day feedback {_updown(v)} {abs(v):.2f} on its 7-day mean",
    "deploys_3d": lambda v: _count(v, "deployment", "in 3 days"),
    "deploys_7d": lambda v: _count(v, "deployment", "in 7 days"),
    "deploys_14d": lambda v: _count(v, "deployment", "in 14 days"),
    "deploys_28d": lambda v: _count(v, "deployment", "in 28 days"),
    "users_7d_log": lambda v: f"about {math.expm1(v):,.0f} active users a day",
    "deploy_risk_max_3d": lambda v: f"a deployment in the last 3 days scored {v:.0%} patch risk",
    "deploy_risk_max_7d": lambda v: f"a deployment in the last 7 days scored {v:.0%} patch risk",
    "deploy_risk_max_14d": lambda v: f"a deployment in the last 14 days scored {v:.0%} patch risk",
    "deploy_exposed_risk_7d": lambda v: f"{v:.0%} patch risk × rollout share in 7 days",
    "deploy_churn_max_3d": lambda v: f"a deployment in 3 days churned {v:.0f} lines",
    "deploy_churn_sum_7d": lambda v: f"deployments churned {v:.0f} lines in 7 days",
    "deploy_churn_sum_14d": lambda v: f"deployments churned {v:.0f} lines in 14 days",
    "deploy_files_max_7d": lambda v: f"a deployment in 7 days changed {v:.0f} files",
    "deploy_rollout_max_7d": lambda v: f"a 7-day deployment reached {v:.0f}% rollout",
    "deploy_risk_age_0d": lambda v: f"a deployment today scored {v:.0%} patch risk",
    "deploy_risk_age_1d": lambda v: f"a deployment 1 day ago scored {v:.0%} patch risk",
    "deploy_risk_age_2d": lambda v: f"a deployment 2 days ago scored {v:.0%} patch risk",
    "deploy_risk_age_3_6d": lambda v: f"a deployment 3-6 days ago scored {v:.0%} patch risk",
    "deploy_days_since_min_14d": lambda v: (
        "last deployment " + ("today" if v < 1 else "1 day ago" if v < 2 else f"{v:.0f} days ago")
    ),
}


def _count(value: float, noun: str, when: str) -> str:
    n = round(value)
    return f"{'no' if n == 0 else n} {noun}{'' if n == 1 else 's'} {when}"


MISSING = {
    "release_patch_risk": "its latest patch is unscored",
    "deploy_risk_age_0d": "no scored deployment touched it today",
    "deploy_risk_age_1d": "no scored deployment touched it 1 day ago",
    "deploy_risk_age_2d": "no scored deployment touched it 2 days ago",
    "deploy_risk_age_3_6d": "no scored deployment touched it 3-6 days ago",
}
WINDOWED_DEPLOY = re.compile(r"^deploy_\w+_(\d+)d$")
"""deployment inputs over a trailing window (``deploy_risk_max_7d``): NULL when none touched it"""


def missing(name: str) -> str:
    """Words for an input with no value: most are empty because no deployment touched it."""
    if name in MISSING:
        return MISSING[name]
    window = WINDOWED_DEPLOY.match(name)
    if window:
        return f"no deployment touched it in {window.group(1)} days"
    if name.startswith(("release_", "deploy_")) or name == "days_since_deploy":
        return "no deployment touched it yet"
    return f"{name.replace('_', ' ')} unknown"


def describe(name: str, value: float) -> str:
    """One factor in words, e.g. ``p95 latency up 31% in 7 days``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing(name)
    phrase = PHRASES.get(name)
    return phrase(value) if phrase else f"{name.replace('_', ' ')} {value:.3g}"


def _join(phrases: list[str], word: str = "while") -> str:
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + f" {word} " + phrases[-1]


def topic(name: str) -> str:
    """The signal a factor describes (p95, crash, error, feedback, release, ...)."""
    return name.split("_")[0]


def cited_factors(
    contributions: np.ndarray, at_risk: bool, features: Sequence[str] | None = None, limit: int = 2
) -> list[int]:
    """Indexes of the factors to cite: the largest contributions in the verdict's direction,
    at most one per topic so a reason does not say the same thing twice."""
    signed = contributions if at_risk else -contributions
    names = list(features) if features is not None else [str(i) for i in range(len(signed))]
    cited: list[int] = []
    for i in np.argsort(-signed, kind="stable"):
        if len(cited) == limit or signed[i] <= 0:
            break
        if topic(names[i]) not in {topic(names[j]) for j in cited}:
            cited.append(int(i))
    return cited


def explain(
    features: Sequence[str], values: np.ndarray, contributions: np.ndarray, at_risk: bool
) -> tuple[str, list[dict[str, Any]]]:
    """The reason sentence and the top factors (by |contribution|) for one prediction."""
    cited = cited_factors(contributions, at_risk, features)
    phrases = [describe(features[i], float(values[i])) for i in cited]
    if at_risk:
        reason = _join(phrases) if phrases else "No single factor stands out"
    else:
        reason = "Low risk: " + _join(phrases, "and") if phrases else "Low risk"
    strongest = [int(i) for i in np.argsort(-np.abs(contributions), kind="stable")]
    top = (cited + [i for i in strongest if i not in cited])[:5]  # cited factors always listed
    factors = [
        {
            "factor": features[i],
            "value": None if math.isnan(float(values[i])) else float(values[i]),
            "contribution": float(contributions[i]),
            "cited": i in cited,
        }
        for i in top
    ]
    return reason, factors
