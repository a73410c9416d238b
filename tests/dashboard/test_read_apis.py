"""The areas' read APIs the dashboard draws from: results on the demo world, empty frames on an
empty warehouse, and the schema check that tells a bare file from a Vigil warehouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import duckdb
import polars as pl
import pytest

from vigil.detection.read import feature_anomalies
from vigil.errors import VigilError
from vigil.fleet.queries import fleet_risk, heatmap
from vigil.fleet.read import error_trend
from vigil.monitoring.read import dataset_baseline
from vigil.patches.read import released
from vigil.registry import read as registry_read
from vigil.risk import read as risk_read
from vigil.warehouse import read
from vigil.warehouse.connection import memory_warehouse

FRAMES: dict[str, Callable[[duckdb.DuckDBPyConnection], Any]] = {
    "kpis": read.kpis,
    "feature_list": read.feature_list,
    "sparklines": read.sparklines,
    "feature_daily": lambda con: read.feature_daily(con, "f1"),
    "feature_deployments": lambda con: read.feature_deployments(con, "f1"),
    "feature_incidents": lambda con: read.feature_incidents(con, "f1"),
    "ingest_manifest": read.ingest_manifest,
    "ranked": risk_read.ranked,
    "tier_counts": risk_read.tier_counts,
    "cohorts": lambda con: risk_read.cohorts(con, "platform"),
    "feature_anomalies": lambda con: feature_anomalies(con, "f1"),
    "fleet_risk": fleet_risk,
    "heatmap": heatmap,
    "error_trend": error_trend,
    "dataset_baseline": dataset_baseline,
    "released": released,
    "versions": registry_read.versions,
    "alias_moves": registry_read.alias_moves,
}


@pytest.mark.parametrize("name", FRAMES)
def test_every_read_gives_an_empty_frame_on_an_empty_warehouse(name: str) -> None:
    result = FRAMES[name](memory_warehouse())
    assert isinstance(result, pl.DataFrame)
    assert result.height == 0


def test_kpis_on_an_empty_warehouse_have_no_rows_and_no_window() -> None:
    con = memory_warehouse()
    assert read.data_window(con) == (None, None)
    assert read.latest_run(con) is None


def test_missing_tables_names_every_table_of_a_bare_file_and_none_of_a_warehouse() -> None:
    bare = read.missing_tables(duckdb.connect(":memory:"))
    assert {"fact_feature_daily", "feature_risk", "attention_item", "run_history"} <= set(bare)
    assert read.missing_tables(memory_warehouse()) == []


def test_ranked_is_by_impact_with_names_and_previous_scores(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    ranked = risk_read.ranked(demo_con)
    features = demo_con.execute("SELECT count(DISTINCT feature_id) FROM feature_risk").fetchall()[0]
    assert ranked.height == features[0]
    assert ranked["impact"].to_list() == sorted(ranked["impact"].to_list(), reverse=True)
    assert ranked["feature_name"].null_count() == 0
    assert {"prev_score_date", "prev_risk", "prev_tier"} <= set(ranked.columns)


def test_sparklines_are_the_last_days_of_the_daily_facts_oldest_first(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    last = read.data_window(demo_con)[1]
    assert last is not None
    sparks = read.sparklines(demo_con, 14)
    assert sparks.height == read.feature_list(demo_con).height
    for row in sparks.head(3).iter_rows(named=True):
        daily = read.feature_daily(demo_con, row["feature_id"])
        recent = daily.filter(pl.col("event_date") > last - dt.timedelta(days=14))
        assert row["latency_trend"] == recent["latency_p95_ms"].to_list()


def test_trend_lines_are_the_windows_the_aggregation_stored(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    fid = risk_read.ranked(demo_con)["feature_id"][0]
    daily = read.feature_daily(demo_con, fid)
    stored = demo_con.sql(
        "SELECT event_date, latency_p95_7d, crash_rate_7d, feedback_mean_7d, active_users_7d "
        "FROM fact_feature_daily WHERE feature_id = ? ORDER BY event_date",
        params=[fid],
    ).pl()
    assert daily.height == stored.height > 0
    assert daily.select(stored.columns).equals(stored)


def test_cohorts_sum_to_the_portfolio(demo_con: duckdb.DuckDBPyConnection) -> None:
    ranked = risk_read.ranked(demo_con)
    for by in risk_read.COHORTS:
        cohorts = risk_read.cohorts(demo_con, by)
        assert cohorts["features"].sum() == ranked.height
        assert cohorts["impact"].sum() == pytest.approx(ranked["impact"].sum())


def test_cohorts_refuse_a_column_outside_the_allow_list() -> None:
    with pytest.raises(VigilError, match="cohort must be one of owner_team, lifecycle_stage"):
        risk_read.cohorts(memory_warehouse(), "feature_id; DROP TABLE dim_feature")


def test_heatmap_has_one_cell_per_model_and_firmware(demo_con: duckdb.DuckDBPyConnection) -> None:
    cells = heatmap(demo_con)
    assert cells.height == cells.select("device_model", "firmware_version").n_unique()
    assert cells.height > 0


def test_released_patches_are_newest_first(demo_con: duckdb.DuckDBPyConnection) -> None:
    dates = released(demo_con)["release_date"].to_list()
    assert dates == sorted(dates, reverse=True) and dates


def test_current_aliases_mark_a_retired_alias() -> None:
    moves = pl.DataFrame(
        {
            "name": ["m", "m", "m"],
            "alias": ["champion", "challenger", "champion"],
            "version": [2, 3, 1],
            "action": ["retire", "set", "promote"],
        }
    )  # newest first
    assert registry_read.current_aliases(moves) == {
        ("m", 2): ["champion (retired)"],
        ("m", 3): ["challenger"],
    }
