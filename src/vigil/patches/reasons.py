"""Per-patch contributions -> short reasons in plain words. Standard library only."""

from __future__ import annotations

import math
from collections.abc import Sequence

from vigil.patches.inputs import TYPE_PREFIX

LABELS = {
    "patch_size_mb": "patch size {v} MB",
    "files_changed": "{v} files changed",
    "lines_added": "{v} lines added",
    "lines_deleted": "{v} lines deleted",
    "code_churn": "code churn {v}",
    "prev_error_rate": "previous error rate {v}",
    "mean_device_age_days": "mean device age {v} days",
    "n_touched_features": "{v} features touched",
}


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3g}"


def describe(feature: str, value: float) -> str:
    """One feature's value in words, e.g. ``code churn 4,210``."""
    if feature.startswith(TYPE_PREFIX):
        kind = feature[len(TYPE_PREFIX) :]
        return f"a {kind} patch" if value >= 0.5 else f"not a {kind} patch"
    if math.isnan(value):
        return f"{feature.replace('_', ' ')} missing"
    template = LABELS.get(feature, feature + " {v}")
    return template.format(v=_number(value))


def reasons(
    features: Sequence[str],
    values: Sequence[float],
    contributions: Sequence[float],
    *,
    up: bool = True,
    top: int = 3,
) -> list[str]:
    """The features that push risk up most (``up``) or down most, strongest first."""
    sign = 1.0 if up else -1.0
    ranked = sorted(range(len(features)), key=lambda i: sign * contributions[i], reverse=True)
    verb = "raises" if up else "lowers"
    out = [
        f"{describe(features[i], values[i])} {verb} risk"
        for i in ranked[:top]
        if sign * contributions[i] > 1e-9
    ]
    return out or [f"nothing {verb} risk much against the typical patch"]
