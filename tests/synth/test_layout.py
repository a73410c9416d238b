"""The world's files match the layout and columns of docs/ARCHITECTURE.md."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pyarrow.parquet as pq
import pytest

from vigil.synth import WorldSummary

CSV_COLUMNS = {
    "features.csv": [
        "feature_id",
        "feature_name",
        "owner_team",
        "lifecycle_stage",
        "release_date",
        "platform",
    ],
    "devices.csv": ["device_id", "device_model", "first_seen_date", "region"],
    "releases.csv": [
        "firmware_version",
        "release_date",
        "patch_type",
        "patch_size_mb",
        "files_changed",
        "lines_added",
        "lines_deleted",
        "code_churn",
        "prev_error_rate",
        "mean_device_age_days",
        "touched_features",
        "error_rate_per_10k",
        "rma_rate",
    ],
    "pending_patches.csv": [
        "patch_id",
        "firmware_version",
        "patch_type",
        "patch_size_mb",
        "files_changed",
        "lines_added",
        "lines_deleted",
        "code_churn",
        "prev_error_rate",
        "mean_device_age_days",
        "touched_features",
    ],
    "deployments.csv": ["deployment_id", "deployed_at", "version", "rollout_pct", "features"],
    "incidents.csv": [
        "incident_id",
        "started_at",
        "resolved_at",
        "feature_ids",
        "severity",
        "title",
    ],
    "support_tickets.csv": ["ticket_id", "device_id", "created_at", "error_code", "is_rma"],
}
TELEMETRY_COLUMNS = [
    "event_time",
    "feature_id",
    "user_id",
    "device_id",
    "session_id",
    "latency_ms",
    "crashed",
    "error_count",
    "feedback_score",
    "app_version",
    "device_model",
    "region",
]
DEVICE_EVENT_COLUMNS = [
    "device_id",
    "event_time",
    "firmware_version",
    "error_code",
    "severity",
    "device_model",
    "region",
]
TRUTH_COLUMNS = [
    "regression_id",
    "feature_id",
    "firmware_version",
    "deployment_id",
    "kind",
    "early_onset_date",
    "onset_date",
    "end_date",
    "magnitude",
]


def read(world: WorldSummary, name: str) -> pl.DataFrame:
    return pl.read_csv(world.out_dir / "data" / name, try_parse_dates=True)


@pytest.mark.parametrize("name", sorted(CSV_COLUMNS))
def test_csv_columns_match_the_contract(tiny_world: WorldSummary, name: str) -> None:
    header = pl.read_csv(tiny_world.out_dir / "data" / name, n_rows=0).columns
    assert header == CSV_COLUMNS[name]


def test_truth_columns(tiny_world: WorldSummary) -> None:
    header = pl.read_csv(tiny_world.out_dir / "truth" / "regressions.csv", n_rows=0).columns
    assert header == TRUTH_COLUMNS


@pytest.mark.parametrize(
    ("folder", "columns"),
    [("telemetry", TELEMETRY_COLUMNS), ("device_events", DEVICE_EVENT_COLUMNS)],
)
def test_one_parquet_partition_per_day(
    tiny_world: WorldSummary, folder: str, columns: list[str]
) -> None:
    root = tiny_world.out_dir / "data" / folder
    parts = sorted(p.name for p in root.iterdir())
    days = [tiny_world.start_date + timedelta(days=d) for d in range(14)]
    assert parts == [f"date={d.isoformat()}" for d in days]
    schema = pq.read_schema(root / parts[0] / "part-0.parquet")
    assert schema.names == columns
    assert str(schema.field("event_time").type) == "timestamp[us]"


def test_every_release_is_a_deployment_with_the_same_features(tiny_world: WorldSummary) -> None:
    rel = read(tiny_world, "releases.csv")
    dep = read(tiny_world, "deployments.csv")
    joined = rel.join(dep, left_on="firmware_version", right_on="version", how="full")
    assert joined.height == rel.height == dep.height == tiny_world.releases
    assert (joined["touched_features"] == joined["features"]).all()
    assert dep["deployment_id"].n_unique() == dep.height


def test_outcomes_are_empty_until_the_30_day_window_closes(tiny_world: WorldSummary) -> None:
    rel = read(tiny_world, "releases.csv")
    world_end = tiny_world.end_date + timedelta(days=1)
    closed = rel["release_date"] + timedelta(days=30) <= world_end
    assert (rel["error_rate_per_10k"].is_null() == ~closed).all()
    assert (rel["rma_rate"].is_null() == ~closed).all()
    assert closed.any() and (~closed).any()


def test_references_resolve(tiny_world: WorldSummary) -> None:
    out = tiny_world.out_dir / "data"
    devices = set(read(tiny_world, "devices.csv")["device_id"])
    versions = set(read(tiny_world, "releases.csv")["firmware_version"])
    events = pl.read_parquet(out / "device_events" / "*" / "*.parquet")
    assert set(events["device_id"]) <= devices
    assert set(events["firmware_version"]) <= versions
    assert set(read(tiny_world, "support_tickets.csv")["device_id"]) <= devices
    features = set(read(tiny_world, "features.csv")["feature_id"])
    touched = read(tiny_world, "releases.csv")["touched_features"].str.split(";").explode()
    assert set(touched) <= features


def test_dimension_values_are_in_their_vocabularies(tiny_world: WorldSummary) -> None:
    feats = read(tiny_world, "features.csv")
    assert set(feats["lifecycle_stage"]) <= {"alpha", "beta", "ga", "deprecated"}
    assert set(feats["platform"]) <= {"ios", "android", "web", "firmware"}
    rel = read(tiny_world, "releases.csv")
    assert set(rel["patch_type"]) <= {"bugfix", "feature", "security", "hotfix"}
    assert (rel["code_churn"] == rel["lines_added"] + rel["lines_deleted"]).all()
    rollout = read(tiny_world, "deployments.csv")["rollout_pct"]
    assert rollout.min() > 0 and rollout.max() <= 100


def test_incidents_resolve_after_they_start(tiny_world: WorldSummary) -> None:
    inc = read(tiny_world, "incidents.csv")
    resolved = inc.filter(pl.col("resolved_at").is_not_null())
    assert (resolved["resolved_at"] > resolved["started_at"]).all()
    assert inc["started_at"].max() < datetime(2026, 1, 15)


def test_pending_patches_have_no_outcomes(tiny_world: WorldSummary) -> None:
    pending = read(tiny_world, "pending_patches.csv")
    assert pending.height == 20 == tiny_world.pending_patches
    assert pending["patch_id"].n_unique() == 20
    released = set(read(tiny_world, "releases.csv")["firmware_version"])
    assert not set(pending["firmware_version"]) & released
