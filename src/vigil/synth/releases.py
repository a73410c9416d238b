"""Firmware releases: pre-release change metrics, hidden riskiness, outcomes, deployments.

Riskiness is a logit of the pre-release metrics (churn, hotfix, files, device age, the previous
version's error rate) plus noise. It drives how often touched features regress, the firmware's
device error rate and RMA rate, so a model can learn it from the metrics, but not perfectly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import polars as pl

from vigil.synth.catalog import MODELS, Features, Fleet, model_factors
from vigil.synth.spec import OUTCOME_WINDOW_DAYS, WorldSpec, logistic, stream

RELEASE_STREAM, PENDING_STREAM = 4, 5
PATCH_TYPES = ("bugfix", "feature", "security", "hotfix")
PATCH_P = (0.45, 0.3, 0.15, 0.1)
_FILES_LOG_MEDIAN = np.log([8.0, 30.0, 5.0, 4.0])
ROLLOUTS = (10.0, 25.0, 50.0, 100.0)
ROLLOUT_P = (0.15, 0.2, 0.25, 0.4)
LEGACY_DAYS = (-25, -15, -5)
"""releases before the world starts: the firmware devices run on day 0"""
BASE_ERROR_RATE = 150.0
"""device error events per 10k device-days of an average firmware on an average device"""
BASE_RMA = 0.002


@dataclass(frozen=True)
class Changes:
    """Pre-release change metrics of a batch of patches (one entry per patch)."""

    patch_type: np.ndarray
    files_changed: np.ndarray
    lines_added: np.ndarray
    lines_deleted: np.ndarray
    patch_size_mb: np.ndarray
    touched: list[np.ndarray]
    targets: np.ndarray
    """bool (n, n_models): device models the patch is rolled out to"""

    @property
    def code_churn(self) -> np.ndarray:
        return self.lines_added + self.lines_deleted


@dataclass(frozen=True)
class Releases:
    """All releases (legacy ones first), ordered by deployment time; index = sequence number."""

    day: np.ndarray
    deployed_us: np.ndarray
    changes: Changes
    rollout_pct: np.ndarray
    prev_error_rate: np.ndarray
    mean_device_age: np.ndarray
    risk_p: np.ndarray
    """probability that a touched feature regresses"""
    error_rate: np.ndarray
    """realised device error rate per 10k device-days (before device model / age factors)"""
    rma_rate: np.ndarray
    outcome_error_rate: np.ndarray
    outcome_rma_rate: np.ndarray

    @property
    def versions(self) -> list[str]:
        return [version_name(i) for i in range(len(self.day))]

    def __len__(self) -> int:
        return len(self.day)


def version_name(seq: int) -> str:
    """Firmware version of the seq-th release: 3.0.0, 3.0.1, ... 3.1.0 after fifty."""
    return f"3.{seq // 50}.{seq % 50}"


def deployment_id(seq: int) -> str:
    """Every release is also a deployment."""
    return f"DEP-{seq + 1:04d}"


def draw_changes(rng: np.random.Generator, n: int, n_features: int, weight: np.ndarray) -> Changes:
    """Patch type, size and the features each of ``n`` patches touches."""
    kind = rng.choice(len(PATCH_TYPES), size=n, p=PATCH_P)
    files = np.maximum(1, np.round(np.exp(rng.normal(_FILES_LOG_MEDIAN[kind], 0.8))))
    lines = np.maximum(2, np.round(files * np.exp(rng.normal(np.log(25.0), 0.7, n))))
    added = np.round(lines * rng.beta(np.where(kind == 1, 5.0, 3.0), 3.0))
    size = (
        0.5 + lines * 0.002 * np.exp(rng.normal(0.0, 0.3, n)) + (kind == 1) * rng.gamma(2.0, 2.0, n)
    )
    k = np.minimum(n_features, 1 + rng.binomial(3, 0.35, n) + (kind == 1))
    p = np.sqrt(weight) / np.sqrt(weight).sum()
    touched = [np.sort(rng.choice(n_features, size=int(m), replace=False, p=p)) for m in k]
    everywhere = rng.random(n) < 0.5
    subset = rng.random((n, len(MODELS))) < 0.4
    subset[np.arange(n), rng.integers(0, len(MODELS), n)] = True
    return Changes(
        patch_type=np.array(PATCH_TYPES)[kind],
        files_changed=files,
        lines_added=added,
        lines_deleted=lines - added,
        patch_size_mb=np.round(size, 2),
        touched=touched,
        targets=np.where(everywhere[:, None], True, subset),
    )


def risk_logit(ch: Changes, age: np.ndarray, prev_rate: np.ndarray | float) -> np.ndarray:
    """The deterministic part of riskiness: what a perfect model could learn from the metrics."""
    churn = (np.log1p(ch.code_churn) - 5.8) / 1.2
    files = (np.log1p(ch.files_changed) - 2.3) / 1.0
    hotfix = (ch.patch_type == "hotfix").astype(float)
    prev = np.log(np.asarray(prev_rate) / BASE_ERROR_RATE) / 0.5
    return np.asarray(
        0.9 * churn + 1.0 * hotfix + 0.35 * files + 0.6 * (age - 450.0) / 300.0 + 0.3 * prev
    )


def fleet_age(fleet: Fleet, targets: np.ndarray, day: int) -> float:
    """Mean age in days, on ``day``, of devices of the targeted models that exist by then."""
    mask = targets[fleet.model] & (fleet.first_seen_days <= day)
    ages = day - fleet.first_seen_days[mask]
    return float(ages.mean()) if ages.size else 0.0


def fleet_factor(fleet: Fleet, targets: np.ndarray) -> float:
    """How error-prone the targeted devices are (model x age), relative to an average device."""
    mask = targets[fleet.model]
    f = device_factor(fleet, 0)[mask]
    return float(f.mean()) if f.size else 1.0


def device_factor(fleet: Fleet, day: int) -> np.ndarray:
    """Per-device error multiplier: older devices and error-prone models error more."""
    age = np.maximum(0, day - fleet.first_seen_days)
    return np.asarray(model_factors()[fleet.model] * (0.6 + age / 1000.0))


def release_days(spec: WorldSpec, rng: np.random.Generator) -> np.ndarray:
    """Release days: legacy ones before the start, then ~releases_per_day per day."""
    per_day = rng.poisson(spec.releases_per_day, spec.days)
    days = np.repeat(np.arange(spec.days), per_day)
    return np.concatenate([np.array(LEGACY_DAYS), days])


def make_releases(spec: WorldSpec, features: Features, fleet: Fleet) -> Releases:
    """Draw every release, its riskiness and its (noisy) post-release outcomes."""
    rng = stream(spec.seed, RELEASE_STREAM)
    day = release_days(spec, rng)
    n = len(day)
    deployed_us = spec.start_us + (day * 86_400 + rng.integers(8 * 3600, 20 * 3600, n)) * 1_000_000
    order = np.argsort(deployed_us, kind="stable")
    day, deployed_us = day[order], deployed_us[order]
    ch = draw_changes(rng, n, spec.n_features, features.weight)
    rollout = rng.choice(ROLLOUTS, size=n, p=ROLLOUT_P)
    rollout[(ch.patch_type == "hotfix") | (day < 0)] = 100.0
    ch.targets[day < 0] = True  # legacy releases reached every device before day 0
    age = np.array([fleet_age(fleet, ch.targets[i], int(day[i])) for i in range(n)])
    prev, logit, rate = _chain(ch, age, rng)
    noise = rng.normal(0.0, 0.5, n)
    risk_p = logistic(spec.regression_intercept + logit + noise)
    rma = np.minimum(0.2, BASE_RMA * np.exp(0.6 * (logit + noise) + rng.normal(0.0, 0.35, n)))
    factor = np.array([fleet_factor(fleet, ch.targets[i]) for i in range(n)])
    known = day + OUTCOME_WINDOW_DAYS <= spec.days
    measured = rate * factor * np.exp(rng.normal(0.0, 0.1, n))
    return Releases(
        day=day,
        deployed_us=deployed_us,
        changes=ch,
        rollout_pct=rollout,
        prev_error_rate=prev,
        mean_device_age=age,
        risk_p=risk_p,
        error_rate=rate,
        rma_rate=rma,
        outcome_error_rate=np.where(known, np.round(measured, 3), np.nan),
        outcome_rma_rate=np.where(known, np.round(rma * np.exp(rng.normal(0, 0.1, n)), 5), np.nan),
    )


def _chain(
    ch: Changes, age: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """prev_error_rate links each release to the one before, so this runs in order."""
    n = len(age)
    static = risk_logit(ch, age, BASE_ERROR_RATE)
    prev, logit, rate = np.empty(n), np.empty(n), np.empty(n)
    last = BASE_ERROR_RATE
    for i in range(n):  # a recursion over a few hundred releases: no vectorised form
        prev[i] = round(last * float(np.exp(rng.normal(0.0, 0.15))), 3)
        logit[i] = static[i] + 0.3 * np.log(prev[i] / BASE_ERROR_RATE) / 0.5
        rate[i] = BASE_ERROR_RATE * np.exp(0.5 * logit[i] + rng.normal(0.0, 0.4))
        last = rate[i]
    return prev, logit, rate


def releases_frame(spec: WorldSpec, rel: Releases, features: Features) -> pl.DataFrame:
    """releases.csv: pre-release metrics, then outcomes (empty while the window is open)."""
    ch = rel.changes
    return pl.DataFrame(
        {
            "firmware_version": rel.versions,
            "release_date": [spec.start_date + timedelta(days=int(d)) for d in rel.day],
            **_metric_columns(ch, rel.prev_error_rate, rel.mean_device_age, features),
            "error_rate_per_10k": rel.outcome_error_rate,
            "rma_rate": rel.outcome_rma_rate,
        },
        strict=False,
    ).with_columns(pl.col("error_rate_per_10k", "rma_rate").fill_nan(None))


def _metric_columns(
    ch: Changes, prev: np.ndarray, age: np.ndarray, features: Features
) -> dict[str, object]:
    return {
        "patch_type": ch.patch_type,
        "patch_size_mb": ch.patch_size_mb,
        "files_changed": ch.files_changed.astype(np.int64),
        "lines_added": ch.lines_added.astype(np.int64),
        "lines_deleted": ch.lines_deleted.astype(np.int64),
        "code_churn": ch.code_churn.astype(np.int64),
        "prev_error_rate": np.round(prev, 3),
        "mean_device_age_days": np.round(age, 1),
        "touched_features": [";".join(features.ids[t]) for t in ch.touched],
    }


def deployments_frame(spec: WorldSpec, rel: Releases, features: Features) -> pl.DataFrame:
    """deployments.csv: one deployment per release, same touched features."""
    return pl.DataFrame(
        {
            "deployment_id": [deployment_id(i) for i in range(len(rel))],
            "deployed_at": pl.Series(rel.deployed_us, dtype=pl.Datetime("us")),
            "version": rel.versions,
            "rollout_pct": rel.rollout_pct,
            "features": [";".join(features.ids[t]) for t in rel.changes.touched],
        }
    )


def pending_frames(
    spec: WorldSpec, rel: Releases, features: Features, fleet: Fleet
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """pending_patches.csv (pre-release metrics only) and its hidden truth (risk, expected rate)."""
    rng = stream(spec.seed, PENDING_STREAM)
    n = spec.n_pending
    ch = draw_changes(rng, n, spec.n_features, features.weight)
    age = np.array([fleet_age(fleet, ch.targets[i], spec.days) for i in range(n)])
    last = float(rel.error_rate[-1]) if len(rel) else BASE_ERROR_RATE
    prev = np.round(last * np.exp(rng.normal(0.0, 0.15, n)), 3)
    logit = risk_logit(ch, age, prev)
    ids = [f"PATCH-{i + 1:04d}" for i in range(n)]
    first = len(rel)
    patches = pl.DataFrame(
        {
            "patch_id": ids,
            "firmware_version": [f"{version_name(first + i)}-rc" for i in range(n)],
            **_metric_columns(ch, prev, age, features),
        }
    )
    truth = pl.DataFrame(
        {
            "patch_id": ids,
            "regression_p": np.round(logistic(spec.regression_intercept + logit), 4),
            "expected_error_rate_per_10k": np.round(BASE_ERROR_RATE * np.exp(0.5 * logit), 3),
        }
    )
    return patches, truth


def release_truth_frame(rel: Releases) -> pl.DataFrame:
    """truth/releases.csv: each release's hidden riskiness and full outcome, even if not mature."""
    return pl.DataFrame(
        {
            "firmware_version": rel.versions,
            "deployment_id": [deployment_id(i) for i in range(len(rel))],
            "regression_p": np.round(rel.risk_p, 4),
            "device_error_rate_per_10k": np.round(rel.error_rate, 3),
            "rma_rate": np.round(rel.rma_rate, 5),
        }
    )
