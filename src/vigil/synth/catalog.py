"""Dimensions of the world: features (with hidden health parameters), devices and users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import polars as pl
import pyarrow as pa

from vigil.synth.spec import WorldSpec, stream

FEATURE_STREAM, DEVICE_STREAM, USER_STREAM = 1, 2, 3

# fmt: off
_NOUNS = ("checkout", "login", "search", "sync", "camera", "maps", "payments", "chat", "feed",
          "upload", "playback", "alarm", "pairing", "backup", "profile", "wallet", "scan", "voice",
          "share", "inbox")
# fmt: on
_SUFFIXES = ("", " v2", " lite", " pro", " beta", " express")
TEAMS = ("core", "growth", "payments", "media", "platform", "devices")
STAGES = ("alpha", "beta", "ga", "deprecated")
STAGE_P = (0.1, 0.2, 0.6, 0.1)
PLATFORMS = ("ios", "android", "web", "firmware")
REGIONS = ("na", "eu", "apac", "latam")
REGION_P = (0.38, 0.32, 0.2, 0.1)
# device model -> (launch days before the world starts, error-proneness factor)
MODELS = {
    "hub-1": (1500, 1.5),
    "hub-2": (1000, 1.2),
    "cam-s": (800, 1.1),
    "cam-x": (400, 1.0),
    "hub-3": (300, 0.9),
    "sense-mini": (150, 0.85),
}


@dataclass(frozen=True)
class Features:
    """Feature dimension plus each feature's hidden baseline health."""

    ids: np.ndarray
    frame: pl.DataFrame
    weight: np.ndarray
    """usage weight (power law), sums to 1"""
    trend: np.ndarray
    """log-usage drift over the world (alpha grows, deprecated fades)"""
    latency_log_median: np.ndarray
    crash_p: np.ndarray
    error_mean: np.ndarray
    feedback_mean: np.ndarray


@dataclass(frozen=True)
class Fleet:
    """Devices and the users who use them."""

    ids: pa.Array
    model: np.ndarray
    """index into MODELS"""
    first_seen_days: np.ndarray
    """first-seen day relative to the world start (negative: before it)"""
    region: np.ndarray
    frame: pl.DataFrame
    user_ids: pa.Array
    user_device: np.ndarray
    user_cdf: np.ndarray
    """cumulative activity of users (power law), for inverse-CDF sampling"""


def feature_ids(n: int) -> list[str]:
    """Stable feature ids: F001, F002, ..."""
    return [f"F{i + 1:03d}" for i in range(n)]


def make_features(spec: WorldSpec) -> Features:
    """Power-law usage, owners, lifecycle, platforms and hidden baselines for each feature."""
    rng = stream(spec.seed, FEATURE_STREAM)
    n = spec.n_features
    ids = np.array(feature_ids(n))
    weight = rng.permutation(1.0 / np.arange(1, n + 1) ** 1.1)
    stage = rng.choice(len(STAGES), size=n, p=STAGE_P)
    trend = np.select([stage == 0, stage == 3], [0.5, -0.7], 0.0)
    release = [spec.start_date - timedelta(days=int(d)) for d in rng.integers(20, 900, n)]
    names = [
        f"{_NOUNS[i % len(_NOUNS)]}{_SUFFIXES[(i // len(_NOUNS)) % len(_SUFFIXES)]}"
        for i in rng.permutation(n)
    ]
    frame = pl.DataFrame(
        {
            "feature_id": ids,
            "feature_name": [
                f"{name} ({i})" if n > len(_NOUNS) else name
                for name, i in zip(names, ids, strict=True)
            ],
            "owner_team": np.array(TEAMS)[rng.integers(0, len(TEAMS), n)],
            "lifecycle_stage": np.array(STAGES)[stage],
            "release_date": release,
            "platform": np.array(PLATFORMS)[rng.integers(0, len(PLATFORMS), n)],
        }
    )
    return Features(
        ids=ids,
        frame=frame,
        weight=weight / weight.sum(),
        trend=trend,
        latency_log_median=np.log(rng.uniform(60.0, 600.0, n)),
        crash_p=rng.uniform(0.002, 0.012, n),
        error_mean=rng.uniform(0.02, 0.12, n),
        feedback_mean=rng.uniform(3.9, 4.5, n),
    )


def make_fleet(spec: WorldSpec) -> Fleet:
    """Devices of several models (older models: older devices) and users mapped onto them."""
    rng = stream(spec.seed, DEVICE_STREAM)
    n = spec.n_devices
    launch = np.array([v[0] for v in MODELS.values()])
    model = rng.integers(0, len(MODELS), n)
    first_seen = -rng.integers(0, launch[model] + 1)
    region = rng.choice(len(REGIONS), size=n, p=REGION_P)
    ids = [f"D{i + 1:06d}" for i in range(n)]
    frame = pl.DataFrame(
        {
            "device_id": ids,
            "device_model": np.array(list(MODELS))[model],
            "first_seen_date": [spec.start_date + timedelta(days=int(d)) for d in first_seen],
            "region": np.array(REGIONS)[region],
        }
    )
    urng = stream(spec.seed, USER_STREAM)
    activity = urng.pareto(1.5, spec.n_users) + 1.0
    return Fleet(
        ids=pa.array(ids),
        model=model,
        first_seen_days=first_seen,
        region=region,
        frame=frame,
        user_ids=pa.array([f"U{i + 1:06d}" for i in range(spec.n_users)]),
        user_device=urng.integers(0, n, spec.n_users),
        user_cdf=np.cumsum(activity) / activity.sum(),
    )


def model_names() -> np.ndarray:
    """Device model names in index order."""
    return np.array(list(MODELS))


def model_factors() -> np.ndarray:
    """Error-proneness of each device model, in index order."""
    return np.array([v[1] for v in MODELS.values()])
