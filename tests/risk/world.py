"""A tiny generated product world for the risk tests: a few features, a few regressions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import polars as pl

START = dt.date(2026, 1, 1)


@dataclass(frozen=True)
class Regression:
    """A regression the world injects: slow creep after a deployment, then an obvious jump."""

    feature_id: str
    deploy_day: int
    onset_day: int
    end_day: int


def regressions(n_features: int, days: int) -> list[Regression]:
    """Up to three regressions per feature over the timeline (every other feature)."""
    out = []
    for i in range(0, n_features, 2):
        for deploy in (20 + 3 * i, 45 + 2 * i, 70 + i):
            if deploy + 12 < days:
                out.append(Regression(f"f{i:02d}", deploy, deploy + 6, deploy + 12))
    return out


def _daily(feature: str, days: int, regs: list[Regression], rng: np.random.Generator) -> dict:
    base = rng.uniform(200, 600)
    users = rng.integers(200, 2000)
    factor = np.ones(days)
    for r in (r for r in regs if r.feature_id == feature):
        creep = np.arange(days) - r.deploy_day
        factor += np.where((creep > 0) & (creep < r.onset_day - r.deploy_day), 0.05 * creep, 0)
        factor += np.where(
            (creep >= r.onset_day - r.deploy_day) & (creep < r.end_day - r.deploy_day), 0.8, 0
        )
    usage = rng.poisson(users * 3, days)
    crash = rng.binomial(usage, 0.004 * factor)
    return {
        "feature_id": [feature] * days,
        "event_date": [START + dt.timedelta(days=d) for d in range(days)],
        "usage_count": usage,
        "active_users": rng.poisson(users, days),
        "latency_p95_ms": base * factor * rng.normal(1, 0.03, days),
        "crash_count": crash,
        "crash_rate": crash / usage,
        "error_count": rng.binomial(usage, 0.01),
        "feedback_count": rng.poisson(40, days),
        "feedback_mean": np.clip(4.2 - 0.5 * (factor - 1) + rng.normal(0, 0.05, days), 1, 5),
    }


def build_world(
    con: duckdb.DuckDBPyConnection, *, n_features: int = 8, days: int = 70, seed: int = 0
) -> list[Regression]:
    """Fill dim_feature, fact_feature_daily, fact_deployment and dim_release; return the truth."""
    rng = np.random.default_rng(seed)
    regs = regressions(n_features, days)
    ids = [f"f{i:02d}" for i in range(n_features)]
    daily = pl.concat(pl.DataFrame(_daily(f, days, regs, rng)) for f in ids)
    features = pl.DataFrame(
        {
            "feature_id": ids,
            "feature_name": [f"Feature {f}" for f in ids],
            "lifecycle_stage": ["ga", "beta"] * (n_features // 2) + ["ga"] * (n_features % 2),
            "release_date": [START - dt.timedelta(days=100)] * n_features,
        }
    )
    deploys = pl.DataFrame(
        {
            "deployment_id": [f"d{k}" for k in range(len(regs))],
            "deployed_at": [
                dt.datetime.combine(START + dt.timedelta(days=r.deploy_day), dt.time(9))
                for r in regs
            ],
            "version": [f"1.{k}" for k in range(len(regs))],
            "rollout_pct": [100.0] * len(regs),
            "feature_ids": [[r.feature_id] for r in regs],
        }
    )
    releases = pl.DataFrame(
        {
            "firmware_version": [f"1.{k}" for k in range(len(regs))],
            "release_date": [START + dt.timedelta(days=r.deploy_day) for r in regs],
            "files_changed": rng.integers(5, 50, len(regs)).astype(float),
            "code_churn": rng.integers(100, 5000, len(regs)).astype(float),
        }
    )
    for table, frame in (
        ("dim_feature", features),
        ("fact_feature_daily", daily),
        ("fact_deployment", deploys),
        ("dim_release", releases),
    ):
        con.register("incoming", frame.to_arrow())
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
    return regs


def truth_csv(regs: list[Regression], path: str) -> None:
    """Write the regressions in the truth/regressions.csv layout."""
    pl.DataFrame(
        {
            "regression_id": [f"r{k}" for k in range(len(regs))],
            "feature_id": [r.feature_id for r in regs],
            "firmware_version": [f"1.{k}" for k in range(len(regs))],
            "deployment_id": [f"d{k}" for k in range(len(regs))],
            "kind": ["latency"] * len(regs),
            "early_onset_date": [START + dt.timedelta(days=r.deploy_day + 1) for r in regs],
            "onset_date": [START + dt.timedelta(days=r.onset_day) for r in regs],
            "end_date": [START + dt.timedelta(days=r.end_day) for r in regs],
            "magnitude": [0.8] * len(regs),
        }
    ).write_csv(path)
