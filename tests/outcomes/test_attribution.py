"""Attribution on the crafted warehouse: episodes, candidates, evidence, ranking, outcomes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest
from tests.outcomes import crafted

from vigil.outcomes.attribute import attribute
from vigil.outcomes.episodes import episodes
from vigil.outcomes.settings import EvidenceWeights, OutcomeSettings
from vigil.warehouse.connection import memory_warehouse

WEIGHTS = EvidenceWeights(**crafted.WEIGHTS)
SETTINGS = OutcomeSettings(weights=WEIGHTS, min_confidence=0.5)
THROUGH = dt.date(2026, 3, 31)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = memory_warehouse()
    crafted.load(con, tmp_path)
    return con


def test_episodes_merge_close_anomalies_and_split_far_ones() -> None:
    rows = pl.DataFrame(
        {
            "feature_id": ["F1", "F1", "F1", "F1", "F2"],
            "event_date": [crafted.day(n) for n in (3, 4, 7, 11, 3)],
            "metric": [
                "crash_rate",
                "latency_p95_ms+feedback_mean",
                "error_rate",
                "crash_rate",
                "x",
            ],
            "score": [0.9, 0.95, 0.85, 0.99, 0.8],
        }
    )
    found = episodes(rows, merge_days=3)
    assert found.select("episode_id", "end_date", "metric", "anomaly_days").rows() == [
        ("F1@2026-03-04", crafted.day(7), "latency_p95_ms", 3),
        ("F2@2026-03-04", crafted.day(3), "x", 1),
        ("F1@2026-03-12", crafted.day(11), "crash_rate", 1),
    ]
    assert episodes(rows, merge_days=0).height == 5


def test_episodes_of_nothing_is_an_empty_frame_with_columns() -> None:
    empty = pl.DataFrame(schema={"feature_id": pl.Utf8, "event_date": pl.Date, "metric": pl.Utf8})
    found = episodes(empty.with_columns(score=pl.lit(0.0)), merge_days=3)
    assert found.height == 0
    assert found.columns[:3] == ["episode_id", "feature_id", "start_date"]


def test_candidates_are_the_window_deployments_with_their_evidence(
    con: duckdb.DuckDBPyConnection,
) -> None:
    result = attribute(con, SETTINGS, THROUGH)
    assert result.episodes["episode_id"].to_list() == ["F1@2026-03-04", "F1@2026-03-21"]
    pairs = result.pairs.sort("deployment_id")
    assert pairs.select("deployment_id", "days_since", "touched").rows() == [
        ("DEP-1", 3, True),
        ("DEP-2", 2, False),
        ("DEP-3", 8, True),
    ]
    # DEP-1 and DEP-3 are carried by 3.1 and 3.2 (80 of 100 events a day, all 16 crashes);
    # both sides' rates are shrunk by 20 events at the episode's rate (64 of 400)
    prior = 20 * 64 / 400
    lift = ((64 + prior) / 340) / ((0 + prior) / 100)
    assert pairs["exposure"].to_list() == pytest.approx([0.8, 0.1, 0.8])
    assert pairs["version_lift"].to_list() == pytest.approx(
        [lift, ((8 + prior) / 60) / ((56 + prior) / 380), lift]
    )
    assert all(d > 0.5 for d in pairs["dose"].to_list())


def test_the_recent_touching_release_ranks_first_and_is_attributed(
    con: duckdb.DuckDBPyConnection,
) -> None:
    pairs = attribute(con, SETTINGS, THROUGH).pairs.sort("rank")
    assert pairs["deployment_id"].to_list() == ["DEP-1", "DEP-3", "DEP-2"]
    assert pairs["attributed"].to_list() == [True, False, False]
    confidence = pairs["confidence"].to_list()
    assert confidence[0] > confidence[1] > 0.5 > confidence[2]


def test_release_outcomes_label_regressed_clean_and_unknown(
    con: duckdb.DuckDBPyConnection,
) -> None:
    out = attribute(con, SETTINGS, THROUGH).outcomes.sort("source", "firmware_version")
    rows = out.select("source", "firmware_version", "mature", "high_risk", "regressions").rows()
    assert rows == [
        ("file", "2.9", True, None, None),
        ("telemetry", "2.9", True, False, 0),
        ("telemetry", "3.0b", True, False, 0),
        ("telemetry", "3.1", True, True, 1),
        ("telemetry", "3.2", True, False, 0),
        ("telemetry", "3.3", False, None, 0),
    ]
    evidence = dict(
        zip(out["firmware_version"] + "/" + out["source"], out["evidence"], strict=True)
    )
    assert evidence["3.1/telemetry"].startswith(
        "caused crash_rate regression on F1 from 2026-03-04, 3 days after rollout (touched it; "
    )
    assert evidence["3.3/telemetry"] == (
        "no deployment of this version: telemetry cannot be attributed to it"
    )
    assert evidence["2.9/file"] == "releases.csv: 12.5 errors per 10k device-days"
    assert evidence["2.9/telemetry"] == "no regression attributed in its window"
    assert out.filter(firmware_version="2.9", source="telemetry")["confidence"][0] == 1.0


def test_an_open_window_leaves_the_outcome_unknown(con: duckdb.DuckDBPyConnection) -> None:
    out = attribute(con, SETTINGS, dt.date(2026, 3, 10)).outcomes.filter(source="telemetry")
    row = out.filter(firmware_version="3.2").row(0, named=True)
    assert (row["mature"], row["high_risk"], row["confidence"]) == (False, None, None)
    assert row["evidence"] == "window open until 2026-03-16"
    assert out.filter(firmware_version="3.1")["high_risk"][0] is True


def test_without_event_telemetry_the_telemetry_evidence_is_null(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute("DELETE FROM landing_file")
    pairs = attribute(con, SETTINGS, THROUGH).pairs
    assert pairs.height == 3
    assert pairs.select("dose", "version_lift", "exposure").null_count().row(0) == (3, 3, 3)


def test_a_warehouse_without_anomalies_labels_every_mature_release_clean() -> None:
    con = memory_warehouse()
    con.execute("INSERT INTO fact_deployment VALUES ('D', '2026-01-01 10:00', '1.0', 100, ['F'])")
    con.execute(
        "INSERT INTO dim_release (firmware_version, release_date) VALUES ('1.0', '2026-01-01')"
    )
    result = attribute(con, SETTINGS, THROUGH)
    assert (result.episodes.height, result.pairs.height) == (0, 0)
    assert result.outcomes.select("firmware_version", "high_risk", "confidence").rows() == [
        ("1.0", False, 1.0)
    ]


def test_releases_before_the_detectors_first_scored_day_stay_unknown(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute(
        "INSERT INTO fact_feature_daily (feature_id, event_date) VALUES ('F1', ?)",
        [crafted.day(-12)],
    )
    out = attribute(con, SETTINGS, THROUGH, min_samples=14).outcomes.filter(source="telemetry")
    rows = out.sort("firmware_version").select("firmware_version", "mature", "high_risk").rows()
    assert rows == [
        ("2.9", False, None),
        ("3.0b", False, None),
        ("3.1", True, True),  # attributed: regressed whatever the baseline
        ("3.2", False, None),
        ("3.3", False, None),
    ]
    assert out.filter(firmware_version="3.2")["evidence"][0] == (
        "shipped before the detectors' first scored day (2026-03-03): not observed"
    )
