"""The resolved knobs of one synthetic world: GenerateSettings plus keyword overrides."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from pydantic import ValidationError
from scipy.special import expit

from vigil.config import GenerateSettings
from vigil.errors import InputError

OUTCOME_WINDOW_DAYS = 30
"""A release's error / RMA outcome is known once this many days have passed since release."""


@dataclass(frozen=True)
class WorldSpec:
    """Every knob of the generator. The first block mirrors GenerateSettings."""

    seed: int
    start_date: date
    days: int
    n_features: int
    events_per_day: int
    n_devices: int
    n_users: int
    malformed_share: float
    duplicate_share: float
    late_share: float
    missing_day_share: float
    # Extra knobs (not yet in GenerateSettings; accepted as keyword overrides).
    releases_per_day: float = 1.5
    n_pending: int = 100
    feedback_share: float = 0.05
    max_late_days: int = 3
    regression_intercept: float = -2.2
    regression_scope: str = "feature"
    """``feature``: a regression hits every event of its feature (the default world);
    ``firmware``: only events from devices running the causing release or a later one"""
    with_world: bool = True
    """False: telemetry + features only (the aggregation benchmark); no dirt, no regressions."""

    @property
    def end_date(self) -> date:
        """The first day after the world (exclusive end)."""
        return self.start_date + timedelta(days=self.days)

    @property
    def start_us(self) -> int:
        """Microseconds since the epoch at the world's first midnight (UTC)."""
        return day_start_us(self.start_date)


EXTRA_KNOBS = frozenset(
    f.name for f in dataclasses.fields(WorldSpec) if f.name not in GenerateSettings.model_fields
)


def build_spec(settings: GenerateSettings, **overrides: Any) -> WorldSpec:
    """Merge settings and overrides into a WorldSpec; bad keys or values raise InputError."""
    known = set(GenerateSettings.model_fields) | EXTRA_KNOBS
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise InputError(
            f"unknown generator option(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    base = {k: v for k, v in overrides.items() if k in GenerateSettings.model_fields}
    extra = {k: v for k, v in overrides.items() if k in EXTRA_KNOBS}
    try:
        merged = GenerateSettings.model_validate({**settings.model_dump(), **base})
        start = date.fromisoformat(merged.start_date)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise InputError(f"bad value for '{key}': {first['msg']}") from exc
    except ValueError as exc:
        raise InputError(f"start_date must be YYYY-MM-DD, got {merged.start_date!r}") from exc
    values = {**merged.model_dump(), "start_date": start, **extra}
    _check_extra(values)
    return WorldSpec(**values)


def _check_extra(values: dict[str, Any]) -> None:
    """Range checks for the knobs GenerateSettings does not validate."""
    if values.get("releases_per_day", 1.5) <= 0:
        raise InputError("bad value for 'releases_per_day': must be > 0")
    if values.get("n_pending", 100) < 0:
        raise InputError("bad value for 'n_pending': must be >= 0")
    if not 0.0 <= values.get("feedback_share", 0.05) <= 1.0:
        raise InputError("bad value for 'feedback_share': must be between 0 and 1")
    if values.get("max_late_days", 3) < 1:
        raise InputError("bad value for 'max_late_days': must be >= 1")
    if values.get("regression_scope", "feature") not in ("feature", "firmware"):
        raise InputError("bad value for 'regression_scope': must be feature or firmware")


def stream(seed: int, *keys: int) -> np.random.Generator:
    """An independent random stream per (seed, component, day): re-runs give the same bytes."""
    return np.random.default_rng([seed, *keys])


def day_start_us(day: date) -> int:
    """Microseconds since the Unix epoch at midnight UTC of ``day``."""
    return (datetime(day.year, day.month, day.day) - datetime(1970, 1, 1)) // timedelta(
        microseconds=1
    )


def logistic(z: np.ndarray) -> np.ndarray:
    """The logistic function (scipy's expit: numerically safe for large |z|)."""
    return np.asarray(expit(z))
