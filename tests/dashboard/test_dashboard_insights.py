"""Insight sentences and overview data on the hand-built sample warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from vigil.config import default_config
from vigil.dashboard import insights
from vigil.dashboard.formatting import join_names, pct
from vigil.dashboard.overview import OverviewData, load_overview
from vigil.dashboard.sample import build_sample_warehouse
from vigil.warehouse.connection import memory_warehouse


@pytest.fixture(scope="module")
def sample_con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    con = memory_warehouse()
    build_sample_warehouse(con, n_features=8, days=40, report_dir=tmp_path_factory.mktemp("runs"))
    return con


@pytest.fixture(scope="module")
def overview(
    sample_con: duckdb.DuckDBPyConnection, tmp_path_factory: pytest.TempPathFactory
) -> OverviewData:
    return load_overview(sample_con, default_config(tmp_path_factory.mktemp("cfg")))


def sentences(data: OverviewData) -> list[str]:
    return [i.text for i in insights.build_insights(data)]


def test_top_risk_sentence_names_feature_team_risk_users_and_reason(overview: OverviewData) -> None:
    assert sentences(overview)[0] == (
        "Checkout (payments) needs action: 86% risk of degrading, about 12,400 users exposed: "
        "p95 latency up 48% in 7 days while feedback fell 0.5."
    )


def test_changes_since_previous_scores(overview: OverviewData) -> None:
    text = sentences(overview)
    assert "New in Act now since Apr 29, 2026: Checkout." in text
    assert "Risk eased since Apr 29, 2026 for Login (Act now → Watch)." in text


def test_threshold_crossings_cite_only_measures_past_their_threshold(
    overview: OverviewData,
) -> None:
    crossing = next(i.text for i in insights.threshold_crossings(overview))
    assert crossing.startswith("2 features crossed a degradation threshold on Apr 30, 2026: ")
    assert "Search (crash rate +" in crossing
    assert "Search (p95 latency" not in crossing  # Search's latency did not move


def test_patches_fleet_drift_and_quality_sentences(overview: OverviewData) -> None:
    text = sentences(overview)
    assert (
        "2 of 6 patches would be blocked by the gate: 3.6.0 (82%) and 3.5.0 (66%); "
        "top reason: churn 6,200 lines (top 5%)."
    ) in text
    assert "1 fleet segment needs immediate watch: Aurora X1 on 3.3.0." in text
    assert "Data drift in 1 of 4 monitored columns: latency_p95_ms." in text
    assert (
        "Data quality of the latest run: WARN; 4 rows quarantined "
        "(feedback_score is 6% empty (warn at 5%))."
    ) in text


def test_insights_are_ordered_by_severity(overview: OverviewData) -> None:
    ranks = [insights.SEVERITY_ORDER[i.severity] for i in insights.build_insights(overview)]
    assert ranks == sorted(ranks)
    assert ranks[0] == 0 and ranks[-1] == 3


def test_empty_overview_gives_no_sentences() -> None:
    assert insights.build_insights(OverviewData()) == []


def test_calm_portfolio_says_so(overview: OverviewData) -> None:
    calm = OverviewData(ranked=overview.ranked.assign(tier="watch", prev_tier="watch"))
    text = [i.text for i in insights.build_insights(calm)]
    assert "No feature is in the Act now tier on the latest scores." in text
    assert "No feature changed tier since Apr 29, 2026." in text


def test_pending_gate_sentence() -> None:
    patches = pd.DataFrame({"patch_id": ["P-1", "P-2"], "decision": ["BLOCK", "PASS"]})
    [blocked] = insights.pending_gate("BLOCKED", patches)
    assert blocked.text == "CI gate: BLOCKED — 1 of 2 pending patches: P-1."
    [passed] = insights.pending_gate("PASS", patches.assign(decision="PASS"))
    assert passed.text == "CI gate: PASS for all 2 pending patches."


def test_kpis_compare_latest_day_with_a_week_earlier(overview: OverviewData) -> None:
    kpis = overview.kpis.set_index("period")
    assert (kpis.loc["current", "event_date"] - kpis.loc["previous", "event_date"]).days == 7
    assert kpis.loc["current", "features"] == 8


@given(hs.lists(hs.text(min_size=1, max_size=5), min_size=1, max_size=8))
def test_join_names_mentions_every_name_or_counts_the_rest(names: list[str]) -> None:
    joined = join_names(names, limit=3)
    shown = names[:3]
    assert all(n in joined for n in shown)
    if len(names) > 3:
        assert joined.endswith(f"and {len(names) - 3} more")


@given(hs.floats(0, 1))
def test_pct_rounds_to_whole_percent(x: float) -> None:
    assert abs(float(pct(x)[:-1]) - x * 100) <= 0.5


def test_config_default_paths(tmp_path: Path) -> None:
    cfg = default_config(tmp_path)
    assert (
        cfg.dashboard.pending_patches_path(cfg.root)
        == (tmp_path / "data/pending_patches.csv").resolve()
    )
    assert cfg.dashboard.host == "127.0.0.1" and cfg.dashboard.port == 8501
