"""A synthetic, fully scored warehouse for the attention tests and the overview load benchmark.

It fills every table the dashboard reads (daily facts, scores, anomalies, patches, fleet, registry,
drift, runs) with seeded random values plus a few planted stories the tests assert on: the first
feature ("Checkout") degrades and is new in the act-now tier, the third one eases, two patches are
above the gate's block threshold, one fleet segment is in the immediate tier, one column drifts.
No model is trained; this is display data, not a world to learn from (that is ``vigil.synth``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from vigil.warehouse.aggregate import refresh_windows

NAMES = ("Checkout", "Search", "Login", "Photo upload", "Sync", "Notifications", "Maps", "Chat")
TEAMS = ("payments", "discovery", "identity", "media")
STAGES = ("ga", "beta", "alpha", "deprecated")
PLATFORMS = ("ios", "android", "web")
MODELS = ("Aurora X1", "Aurora X2", "Nimbus S")
FIRMWARE = ("3.1.0", "3.2.0", "3.3.0")
SAMPLE_END = dt.date(2026, 4, 30)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert the frame's columns that the table has (areas may define a few more or fewer)."""
    present = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    }
    columns = ", ".join(f'"{c}"' for c in frame.columns if c in present)
    con.register("sample_frame", frame)
    con.execute(f'INSERT INTO "{table}" BY NAME SELECT {columns} FROM sample_frame')
    con.unregister("sample_frame")


def _features(n: int) -> pd.DataFrame:
    ids = [f"f{i:03d}" for i in range(n)]
    return pd.DataFrame(
        {
            "feature_id": ids,
            "feature_name": [NAMES[i] if i < len(NAMES) else f"Feature {i:03d}" for i in range(n)],
            "owner_team": [TEAMS[i % len(TEAMS)] for i in range(n)],
            "lifecycle_stage": [STAGES[i % len(STAGES)] for i in range(n)],
            "platform": [PLATFORMS[i % len(PLATFORMS)] for i in range(n)],
            "release_date": [dt.date(2025, 1, 1)] * n,
        }
    )


def _daily_base(n: int, days: int, end: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    dates = pd.date_range(end=end, periods=days, freq="D").date
    fid = np.repeat([f"f{i:03d}" for i in range(n)], days)
    day_idx = np.tile(np.arange(days), n)
    feat_idx = np.repeat(np.arange(n), days)
    usage = rng.integers(800, 5000, n)[feat_idx] + rng.integers(0, 200, n * days)
    p50 = rng.uniform(60, 180, n)[feat_idx] * rng.normal(1.0, 0.03, n * days)
    crash = np.clip(rng.normal(0.004, 0.0008, n * days), 0, None)
    feedback = rng.normal(4.2, 0.05, n * days)
    recent = day_idx >= days - 10  # Checkout's p95 creeps up over the last ten days
    p50 = np.where((feat_idx == 0) & recent, p50 * 1.5, p50)
    crash = np.where((feat_idx == 1) & (day_idx == days - 1), crash + 0.009, crash)
    feedback = np.where((feat_idx == 0) & recent, feedback - 0.5, feedback)
    return pd.DataFrame(
        {
            "feature_id": fid,
            "event_date": np.tile(dates, n),
            "usage_count": usage,
            "active_users": (usage * 0.6).astype(int),
            "sessions": (usage * 0.8).astype(int),
            "latency_mean_ms": p50 * 1.2,
            "latency_p50_ms": p50,
            "latency_p95_ms": p50 * 2.2,
            "latency_p99_ms": p50 * 3.5,
            "crash_count": np.round(crash * usage).astype(int),
            "crash_rate": crash,
            "error_count": np.round(crash * 2 * usage).astype(int),
            "error_rate": crash * 2,
            "feedback_count": (usage * 0.02).astype(int),
            "feedback_mean": feedback,
            "feedback_negative_share": np.clip(4.6 - feedback, 0, 1) * 0.3,
            "usage_share": usage / usage.sum() * days,
        }
    )


def _risk(n: int, end: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    risk_now = rng.uniform(0.02, 0.28, n)
    risk_before = risk_now.copy()
    risk_now[0], risk_before[0] = 0.86, 0.45  # Checkout: new in act now
    risk_now[1], risk_before[1] = 0.71, 0.68  # Search: stays in act now
    if n > 2:
        risk_now[2], risk_before[2] = 0.12, 0.64  # Login: eased to watch
    frames = []
    for date, risk, run in (
        (end, risk_now, "run-2"),
        (end - dt.timedelta(days=1), risk_before, "run-1"),
    ):
        users = rng.integers(500, 3000, n).astype(float)
        users[0] = 12_400.0
        tier = np.where(risk >= 0.6, "act_now", np.where(risk >= 0.3, "investigate", "watch"))
        frames.append(
            pd.DataFrame(
                {
                    "feature_id": [f"f{i:03d}" for i in range(n)],
                    "score_date": date,
                    "risk": risk,
                    "impact": risk * users,
                    "users_exposed": users,
                    "tier": tier,
                    "reason": ["p95 latency up 48% in 7 days while feedback fell 0.5"]
                    + ["crash rate up 0.9 pp since yesterday"]
                    + ["stable"] * (n - 2),
                    "model_version": "feature_risk:v2",
                    "run_id": run,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _annotations(end: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    deployments = pd.DataFrame(
        {
            "deployment_id": ["dep-001", "dep-002", "dep-003"],
            "deployed_at": [pd.Timestamp(end - dt.timedelta(days=d)) for d in (30, 15, 9)],
            "version": list(FIRMWARE),
            "rollout_pct": [100.0, 100.0, 50.0],
            "feature_ids": [["f000", "f001"], ["f002"], ["f000"]],
        }
    )
    incidents = pd.DataFrame(
        {
            "incident_id": ["inc-7"],
            "started_at": [pd.Timestamp(end - dt.timedelta(days=4))],
            "resolved_at": [pd.Timestamp(end - dt.timedelta(days=3))],
            "feature_ids": [["f000"]],
            "severity": ["sev2"],
            "title": ["Checkout timeouts in EU"],
        }
    )
    anomalies = pd.DataFrame(
        {
            "feature_id": ["f000", "f001"],
            "event_date": [end - dt.timedelta(days=8), end],
            "metric": ["latency_p95_ms", "crash_rate"],
            "kind": ["level_shift_up", "spike"],
            "score": [0.97, 0.91],
            "deployment_id": ["dep-003", None],
            "message": ["p95 latency level shift up after dep-003", "crash spike"],
            "run_id": "run-2",
        }
    )
    return deployments, incidents, anomalies


def _patches(end: dt.date) -> pd.DataFrame:
    risk = [0.82, 0.66, 0.41, 0.22, 0.15, 0.08]
    return pd.DataFrame(
        {
            "firmware_version": [f"3.{i}.0" for i in range(6, 0, -1)],
            "release_date": [end - dt.timedelta(days=7 * i) for i in range(6)],
            "patch_type": ["feature", "hotfix", "bugfix", "security", "bugfix", "bugfix"],
            "files_changed": [120.0, 40, 22, 5, 9, 3],
            "lines_added": [5400.0, 900, 300, 40, 120, 20],
            "lines_deleted": [800.0, 300, 90, 10, 40, 5],
            "error_rate_per_10k": [None, None, 12.0, 8.0, 7.5, 6.0],
            "rma_rate": [None, None, 0.002, 0.001, 0.001, 0.0008],
            "outcome_mature": [False, False, True, True, True, True],
            "risk": risk,
            "tier": ["high" if r >= 0.6 else "marginal" if r >= 0.35 else "low" for r in risk],
            "reasons": [
                "churn 6,200 lines (top 5%); touches 4 features",
                "hotfix on an unstable base",
                "",
                "",
                "",
                "",
            ],
            "model_version": 1,
        }
    )


def _fleet(end: dt.date, days: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    dates = pd.date_range(end=end, periods=min(days, 60), freq="D").date
    grid = pd.MultiIndex.from_product([MODELS, FIRMWARE, dates]).to_frame(index=False)
    grid.columns = ["device_model", "firmware_version", "event_date"]
    grid["devices"] = rng.integers(800, 1200, len(grid))
    hot = (grid["device_model"] == MODELS[0]) & (grid["firmware_version"] == FIRMWARE[-1])
    grid["errors"] = rng.poisson(np.where(hot, 6.0, 1.0))
    grid["error_rate_per_10k"] = grid["errors"] * 10_000 / grid["devices"]
    grid["rma_rate"] = np.where(hot, 0.004, 0.001)
    grid["rma_count"] = np.round(grid["rma_rate"] * grid["devices"]).astype(int)
    grid["is_spike_day"] = False
    risk = grid.groupby(["device_model", "firmware_version"], as_index=False).agg(
        devices=("devices", "max"),
        device_days=("devices", "sum"),
        errors=("errors", "sum"),
        rma_count=("rma_count", "sum"),
        error_rate_per_10k=("error_rate_per_10k", "mean"),
        rma_rate=("rma_rate", "mean"),
    )
    risk["age_band"] = "2-3y"
    risk["relative_risk"] = risk["error_rate_per_10k"] / risk["error_rate_per_10k"].mean()
    risk["age_weight"] = 1.2
    risk["weighted_risk"] = risk["relative_risk"] * risk["age_weight"]
    top = risk["weighted_risk"].max()
    risk["tier"] = np.where(
        risk["weighted_risk"] >= 0.8 * top,
        "immediate",
        np.where(risk["weighted_risk"] >= 0.5 * top, "enhanced", "standard"),
    )
    risk["spike_days"] = 0
    risk["as_of_date"] = end
    return grid, risk


def _models(end: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    created = [pd.Timestamp(end - dt.timedelta(days=d)) for d in (20, 1)]
    registry = pd.DataFrame(
        {
            "name": ["feature_risk"] * 2,
            "version": [1, 2],
            "created_at": created,
            "path": ["models/feature_risk/v1", "models/feature_risk/v2"],
            "metrics": [
                json.dumps({"roc_auc": 0.81, "pr_auc": 0.42}),
                json.dumps({"roc_auc": 0.84, "pr_auc": 0.47}),
            ],
            "features": json.dumps(["latency_p95_delta_pct", "crash_rate_delta_pp"]),
            "train_start": end - dt.timedelta(days=120),
            "train_end": end - dt.timedelta(days=14),
            "checksum": ["a1b2c3", "d4e5f6"],
            "params": "{}",
        }
    )
    aliases = pd.DataFrame(
        {
            "seq": [1, 2],
            "name": ["feature_risk"] * 2,
            "alias": ["champion"] * 2,
            "version": [1, 2],
            "previous": [None, 1],
            "action": ["set", "promote"],
            "reason": ["first model", "beat champion by 0.03 roc_auc"],
            "changed_at": created,
        }
    )
    return registry, aliases


def _drift(end: dt.date) -> pd.DataFrame:
    columns = ["latency_p95_ms", "crash_rate", "feedback_mean", "usage_count"]
    return pd.DataFrame(
        {
            "run_id": "run-2",
            "column_name": columns,
            "kind": "numeric",
            "test": "wasserstein",
            "statistic": [0.31, 0.04, 0.05, 0.02],
            "p_value": None,
            "p_value_adjusted": None,
            "distance": [0.31, 0.04, 0.05, 0.02],
            "psi": [0.22, 0.01, 0.02, 0.01],
            "drifted": [True, False, False, False],
            "missing_drift": False,
            "verdict": ["drift", "no drift", "no drift", "no drift"],
            "reason": ["latency_p95_ms: Wasserstein 0.31 >= 0.1; mean 212 -> 268"]
            + ["no drift"] * 3,
            "created_at": pd.Timestamp(end + dt.timedelta(days=1)),
        }
    )


def _runs(end: dt.date, report_dir: Path | None) -> pd.DataFrame:
    paths: list[str | None] = [None, None]
    if report_dir is not None:
        for i, run in enumerate(("run-1", "run-2")):
            path = report_dir / run / "run_report.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            checks = [
                {"name": "freshness", "status": "pass", "reason": "data is 1 day old"},
                {
                    "name": "null_share",
                    "status": "warn",
                    "reason": "feedback_score is 6% empty (warn at 5%)",
                },
            ]
            path.write_text(
                json.dumps({"run_id": run, "quality": {"status": "warn", "checks": checks}})
            )
            paths[i] = str(path)
    started = [pd.Timestamp(end + dt.timedelta(days=d, hours=3)) for d in (0, 1)]
    return pd.DataFrame(
        {
            "run_id": ["run-1", "run-2"],
            "started_at": started,
            "finished_at": [s + pd.Timedelta(minutes=2) for s in started],
            "status": "success",
            "config_hash": "abc123",
            "files_new": [40, 1],
            "files_skipped": [0, 40],
            "rows_in": [100_000, 2_500],
            "rows_loaded": [99_700, 2_490],
            "rows_quarantined": [200, 4],
            "rows_duplicate": [100, 6],
            "quality_status": ["pass", "warn"],
            "duration_s": [120.0, 9.5],
            "report_path": paths,
            "message": "",
        }
    )


def _bookkeeping(end: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    quarantine = pd.DataFrame(
        {
            "run_id": "run-2",
            "input": "telemetry",
            "source_file": "data/telemetry/part-0.parquet",
            "line": [3, 9, 14, 20],
            "column_name": ["latency_ms", "latency_ms", "event_time", "feature_id"],
            "value": ["-4", "abc", "", ""],
            "reason": ["negative", "not_numeric", "missing", "missing"],
            "detail": "",
            "quarantined_at": pd.Timestamp(end + dt.timedelta(days=1)),
        }
    )
    manifest = pd.DataFrame(
        {
            "input": ["telemetry", "features"],
            "source_file": ["data/telemetry", "data/features.csv"],
            "content_hash": ["h1", "h2"],
            "rows_in": [2_500, 8],
            "rows_loaded": [2_490, 8],
            "rows_quarantined": [4, 0],
            "rows_duplicate": [6, 0],
            "landing_files": [["a.parquet"], []],
            "min_date": end,
            "max_date": end,
            "loaded_at": pd.Timestamp(end + dt.timedelta(days=1)),
            "run_id": "run-2",
        }
    )
    return quarantine, manifest


def build_sample_warehouse(
    con: duckdb.DuckDBPyConnection,
    *,
    n_features: int = 8,
    days: int = 60,
    end: dt.date = SAMPLE_END,
    seed: int = 0,
    report_dir: Path | None = None,
) -> None:
    """Fill an empty warehouse (schema applied: ``connect`` / ``memory_warehouse``) with a scored
    sample portfolio."""
    if n_features < 3 or days < 30:
        raise ValueError("the sample needs at least 3 features and 30 days")
    rng = np.random.default_rng(seed)
    _insert(con, "dim_feature", _features(n_features))
    _insert(con, "fact_feature_daily", _daily_base(n_features, days, end, rng))
    refresh_windows(con, end - dt.timedelta(days=days), end)  # the aggregation's own windows
    _insert(con, "feature_risk", _risk(n_features, end, rng))
    deployments, incidents, anomalies = _annotations(end)
    fleet_daily, fleet = _fleet(end, days, rng)
    registry, aliases = _models(end)
    quarantine, manifest = _bookkeeping(end)
    for table, frame in (
        ("fact_deployment", deployments),
        ("fact_incident", incidents),
        ("feature_anomaly", anomalies),
        ("fact_patch", _patches(end)),
        ("fact_device_daily", fleet_daily),
        ("fleet_risk", fleet),
        ("model_registry", registry),
        ("model_alias_history", aliases),
        ("drift_report", _drift(end)),
        ("run_history", _runs(end, report_dir)),
        ("quarantine", quarantine),
        ("ingest_manifest", manifest),
    ):
        _insert(con, table, frame)
