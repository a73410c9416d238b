"""Event-level telemetry, one day at a time, as numpy columns then one Arrow table.

Columns are kept as integer codes (feature, user, device, firmware) until the very end, where
Arrow's C++ ``take`` turns them into strings: much faster than building Python strings per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigil.synth.catalog import REGIONS, Features, Fleet, model_names
from vigil.synth.regressions import Effects, ScopedEffects
from vigil.synth.spec import WorldSpec, stream

TELEMETRY_STREAM, VOLUME_STREAM, LEVEL_STREAM = 10, 11, 12
UNKNOWN_FEATURE = "F999X"
WEEK_USAGE = np.array([1.04, 1.06, 1.05, 1.03, 1.0, 0.84, 0.8])
WEEK_LATENCY = np.array([1.06, 1.07, 1.05, 1.04, 1.0, 0.92, 0.9])
"""Monday first: more load and higher latency on weekdays"""
HOURLY = np.array([2, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 6, 6, 6, 6, 6, 6, 7, 8, 8, 7, 5, 4, 3], float)
LATENCY_SIGMA = 0.45
Columns = dict[str, np.ndarray]
"""event columns as codes: us, sday, feat, user, device, bucket, latency, crashed, errors,
feedback (NaN = empty), fw"""


@dataclass(frozen=True)
class Lookups:
    """Arrow arrays that turn integer codes into the strings written to Parquet."""

    features: pa.Array
    """feature ids, then the unknown id, then null"""
    versions: pa.Array
    dates: pa.Array
    models: pa.Array
    regions: pa.Array
    buckets: pa.Array

    @classmethod
    def build(cls, spec: WorldSpec, features: Features, versions: list[str]) -> Lookups:
        days = [(spec.start_date + timedelta(days=d)).strftime("%Y%m%d") for d in range(spec.days)]
        return cls(
            features=pa.array([*features.ids.tolist(), UNKNOWN_FEATURE, None], pa.string()),
            versions=pa.array(versions, pa.string()),
            dates=pa.array(days, pa.string()),
            models=pa.array(model_names().tolist(), pa.string()),
            regions=pa.array(list(REGIONS), pa.string()),
            buckets=pa.array([f"s{i}" for i in range(6)], pa.string()),
        )


def day_counts(spec: WorldSpec, total: int | None = None) -> np.ndarray:
    """Events per day: weekly seasonality and noise, summing exactly to ``total``
    (events_per_day x days unless given)."""
    rng = stream(spec.seed, VOLUME_STREAM)
    weekday = (spec.start_date.weekday() + np.arange(spec.days)) % 7
    w = WEEK_USAGE[weekday] * np.exp(rng.normal(0.0, 0.03, spec.days))
    total = spec.events_per_day * spec.days if total is None else total
    counts = np.floor(total * w / w.sum()).astype(np.int64)
    counts[: total - counts.sum()] += 1
    return counts


def level_noise(spec: WorldSpec) -> np.ndarray:
    """Slow day-to-day wander of each feature's latency level (AR(1) on the log scale)."""
    rng = stream(spec.seed, LEVEL_STREAM)
    shocks = rng.normal(0.0, 0.02, (spec.n_features, spec.days))
    out = np.zeros_like(shocks)
    for d in range(1, spec.days):  # a short recursion over days; scipy.signal.lfilter is overkill
        out[:, d] = 0.7 * out[:, d - 1] + shocks[:, d]
    return out


@dataclass(frozen=True)
class DayInputs:
    """What one day's telemetry depends on besides the spec."""

    day: int
    n: int
    firmware: np.ndarray
    """release index per device"""
    effects: Effects
    level: np.ndarray
    scoped: ScopedEffects | None = None
    """firmware-scoped regressions (applied per event), or None"""


def day_events(spec: WorldSpec, features: Features, fleet: Fleet, inp: DayInputs) -> Columns:
    """Clean events of one day, sorted by time."""
    rng = stream(spec.seed, TELEMETRY_STREAM, inp.day)
    d, n = inp.day, inp.n
    w = features.weight * np.exp(features.trend * d / spec.days)
    feat = np.searchsorted(np.cumsum(w) / w.sum(), rng.random(n), side="right")
    user = np.searchsorted(fleet.user_cdf, rng.random(n), side="right")
    device = fleet.user_device[user]
    hour = np.searchsorted(np.cumsum(HOURLY) / HOURLY.sum(), rng.random(n), side="right")
    us = (
        spec.start_us
        + d * 86_400_000_000
        + hour * 3_600_000_000
        + rng.integers(0, 3_600_000_000, n)
    )
    order = np.argsort(us, kind="stable")
    feat, user, device, hour, us = feat[order], user[order], device[order], hour[order], us[order]
    cols = _health(spec, features, inp, feat, rng, inp.firmware[device])
    return {
        "us": us,
        "sday": np.full(n, d),
        "feat": feat,
        "user": user,
        "device": device,
        "bucket": hour // 4,
        "fw": inp.firmware[device],
        **cols,
    }


def _health(
    spec: WorldSpec,
    features: Features,
    inp: DayInputs,
    feat: np.ndarray,
    rng: np.random.Generator,
    fw: np.ndarray,
) -> Columns:
    """Latency, crashes, errors and feedback of each event, including regression effects
    (per feature-day, and per event for firmware-scoped regressions)."""
    d, n, eff = inp.day, len(feat), inp.effects
    weekday = (spec.start_date.weekday() + d) % 7
    log_level = features.latency_log_median + np.log(WEEK_LATENCY[weekday]) + inp.level[:, d]
    log_level = (log_level + eff.latency_log[:, d])[feat]
    crash_p = features.crash_p[feat] + eff.crash_add[feat, d]
    error_mean = features.error_mean[feat] * eff.error_mult[feat, d]
    shift = eff.feedback_shift[feat, d]
    if inp.scoped is not None:
        own = inp.scoped.per_event(d, feat, fw)
        log_level = log_level + own.latency_log[:, 0]
        crash_p = crash_p + own.crash_add[:, 0]
        error_mean = error_mean * own.error_mult[:, 0]
        shift = shift + own.feedback_shift[:, 0]
    latency = np.round(np.exp(log_level + rng.normal(0.0, LATENCY_SIGMA, n)), 1)
    crashed = rng.random(n) < crash_p
    errors = rng.poisson(error_mean + 0.5 * crashed)
    mean = features.feedback_mean[feat] + shift - 1.5 * crashed
    score = np.clip(np.round(rng.normal(mean, 0.8)), 1.0, 5.0)
    feedback = np.where(rng.random(n) < spec.feedback_share, score, np.nan)
    return {"latency": latency, "crashed": crashed, "errors": errors, "feedback": feedback}


def to_table(cols: Columns, fleet: Fleet, look: Lookups) -> pa.Table:
    """Codes to strings: the Parquet layout of the telemetry contract."""
    user_id = fleet.user_ids.take(cols["user"])
    session = pc.binary_join_element_wise(
        user_id, look.dates.take(cols["sday"]), look.buckets.take(cols["bucket"]), "-"
    )
    return pa.table(
        {
            "event_time": pa.array(cols["us"], pa.timestamp("us")),
            "feature_id": look.features.take(cols["feat"]),
            "user_id": user_id,
            "device_id": fleet.ids.take(cols["device"]),
            "session_id": session,
            "latency_ms": pa.array(cols["latency"], pa.float64()),
            "crashed": pa.array(cols["crashed"], pa.bool_()),
            "error_count": pa.array(cols["errors"], pa.int64()),
            "feedback_score": pa.array(cols["feedback"], pa.float64(), from_pandas=True),
            "app_version": look.versions.take(cols["fw"]),
            "device_model": look.models.take(fleet.model[cols["device"]]),
            "region": look.regions.take(fleet.region[cols["device"]]),
        }
    )


def take(cols: Columns, idx: np.ndarray) -> Columns:
    """Rows ``idx`` of every column."""
    return {k: v[idx] for k, v in cols.items()}


def concat(parts: list[Columns]) -> Columns:
    """Stack column dicts (same keys) row-wise."""
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
