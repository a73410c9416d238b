"""Reasons in plain words from per-feature contributions."""

from __future__ import annotations

import math

from vigil.patches.reasons import describe, reasons
from vigil.patches.tiers import tier

FEATURES = ["code_churn", "patch_type_hotfix", "files_changed", "prev_error_rate"]


def test_risky_patch_lists_what_raises_risk_strongest_first() -> None:
    out = reasons(FEATURES, [4210.0, 1.0, 3.0, 2.5], [0.2, 0.5, -0.3, 0.0])
    assert out == ["a hotfix patch raises risk", "code churn 4,210 raises risk"]


def test_safe_patch_lists_what_lowers_risk() -> None:
    out = reasons(FEATURES, [4210.0, 0.0, 3.0, 2.5], [0.2, -0.1, -0.3, 0.0], up=False)
    assert out == ["3 files changed lowers risk", "not a hotfix patch lowers risk"]


def test_no_contribution_says_so() -> None:
    assert reasons(FEATURES, [1.0] * 4, [0.0] * 4) == [
        "nothing raises risk much against the typical patch"
    ]


def test_describe_formats_values() -> None:
    assert describe("patch_size_mb", 12.345) == "patch size 12.3 MB"
    assert describe("lines_added", math.nan) == "lines added missing"
    assert describe("mean_device_age_days", 440.0) == "mean device age 440 days"
    assert describe("custom", 2.0) == "custom 2"


def test_tier_boundaries_are_inclusive() -> None:
    assert [tier(r, 0.6, 0.35) for r in (0.6, 0.59, 0.35, 0.34)] == [
        "high",
        "marginal",
        "marginal",
        "low",
    ]
