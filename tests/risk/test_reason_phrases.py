"""Every model input reads as words in a reason, never as its column name."""

from __future__ import annotations

import pytest

from vigil.risk.dataset import FEATURES
from vigil.risk.reasons import PHRASES, describe


def test_every_input_has_a_phrase() -> None:
    assert [name for name in FEATURES if name not in PHRASES] == []


def test_a_missing_deployment_input_never_reads_as_unknown() -> None:
    deploy_inputs = [name for name in FEATURES if name.startswith("deploy_")]
    assert [n for n in deploy_inputs if "unknown" in describe(n, float("nan"))] == []


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("deploys_28d", 22.0, "22 deployments in 28 days"),
        ("deploys_3d", 1.0, "1 deployment in 3 days"),
        ("deploys_7d", 0.0, "no deployments in 7 days"),
        ("deploy_risk_max_14d", 0.991, "a deployment in the last 14 days scored 99% patch risk"),
        ("feedback_3d_drop", 0.25, "3-day feedback down 25% on baseline"),
        ("deploy_days_since_min_14d", float("nan"), "no deployment touched it in 14 days"),
        ("deploy_churn_max_3d", float("nan"), "no deployment touched it in 3 days"),
        ("deploy_rollout_max_7d", float("nan"), "no deployment touched it in 7 days"),
    ],
)
def test_new_inputs_in_words(name: str, value: float, words: str) -> None:
    assert describe(name, value) == words
