"""The dashboard's query functions: results on a sample warehouse, empty frames on a bare one."""

from __future__ import annotations

import duckdb
import pytest

from vigil.dashboard import queries
from vigil.dashboard.sample import build_sample_warehouse
from vigil.warehouse.connection import memory_warehouse

EMPTY_SAFE = (
    "kpis",
    "tier_counts",
    "ranked_features",
    "sparklines",
    "recent_anomalies",
    "feature_list",
    "patches",
    "fleet_risk",
    "fleet_heatmap",
    "fleet_trend",
    "model_versions",
    "alias_history",
    "drift_latest",
    "quarantine_summary",
    "ingest_manifest",
    "run_history",
    "baselines",
    "quality_results",
)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = memory_warehouse()
    build_sample_warehouse(con, n_features=8, days=40)
    return con


@pytest.mark.parametrize("name", EMPTY_SAFE)
def test_every_query_gives_an_empty_frame_on_a_warehouse_without_tables(name: str) -> None:
    bare = duckdb.connect(":memory:")
    assert getattr(queries, name)(bare).empty


@pytest.mark.parametrize("name", EMPTY_SAFE)
def test_every_query_gives_an_empty_frame_on_empty_tables(name: str) -> None:
    assert getattr(queries, name)(memory_warehouse()).empty


def test_ranked_features_ordered_by_impact_with_previous_scores(
    con: duckdb.DuckDBPyConnection,
) -> None:
    ranked = queries.ranked_features(con)
    assert len(ranked) == 8
    assert list(ranked["impact"]) == sorted(ranked["impact"], reverse=True)
    first = ranked.iloc[0]
    assert (first["feature_name"], first["tier"], first["prev_tier"]) == (
        "Checkout",
        "act_now",
        "investigate",
    )


def test_sparklines_hold_the_last_days_oldest_first(con: duckdb.DuckDBPyConnection) -> None:
    sparks = queries.sparklines(con, days=14).set_index("feature_id")
    assert len(sparks) == 8
    assert all(len(v) == 14 for v in sparks["latency_trend"])
    daily = queries.feature_daily(con, "f000")
    assert list(sparks.loc["f000", "latency_trend"]) == list(daily["latency_p95_ms"].tail(14))


def test_rolling_line_is_a_trailing_seven_day_mean(con: duckdb.DuckDBPyConnection) -> None:
    daily = queries.feature_daily(con, "f001")
    assert len(daily) == 40
    expected = daily["latency_p50_ms"].rolling(7, min_periods=1).mean()
    assert (daily["latency_p50_7d"] - expected).abs().max() < 1e-9


def test_threshold_crossings_use_the_given_limits(con: duckdb.DuckDBPyConnection) -> None:
    default = queries.threshold_crossings(con, latency_pct=25.0, crash_pp=0.5, feedback_drop=0.3)
    assert set(default["feature_id"]) == {"f000", "f001"}
    strict = queries.threshold_crossings(con, latency_pct=1000.0, crash_pp=50.0, feedback_drop=5.0)
    assert strict.empty


def test_annotations_only_for_the_feature(con: duckdb.DuckDBPyConnection) -> None:
    assert list(queries.feature_deployments(con, "f000")["deployment_id"]) == ["dep-001", "dep-003"]
    assert list(queries.feature_incidents(con, "f000")["incident_id"]) == ["inc-7"]
    assert queries.feature_incidents(con, "f004").empty


def test_cohorts_sum_to_the_portfolio(con: duckdb.DuckDBPyConnection) -> None:
    ranked = queries.ranked_features(con)
    for by in queries.COHORT_COLUMNS:
        cohorts = queries.cohorts(con, by)
        assert cohorts["features"].sum() == 8
        assert cohorts["impact"].sum() == pytest.approx(ranked["impact"].sum())


def test_cohorts_reject_a_column_outside_the_allow_list(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="cohort must be one of"):
        queries.cohorts(con, "feature_id; DROP TABLE dim_feature")


def test_fleet_heatmap_covers_every_model_firmware_cell(con: duckdb.DuckDBPyConnection) -> None:
    assert len(queries.fleet_heatmap(con)) == 9


def test_drift_latest_is_one_run(con: duckdb.DuckDBPyConnection) -> None:
    drift = queries.drift_latest(con)
    assert set(drift["run_id"]) == {"run-2"}
    assert drift["drifted"].iloc[0]
