"""Insight sentences and overview data on the hand-built sample warehouse."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from vigil.attention import store
from vigil.attention.build import draw_up
from vigil.attention.settings import AttentionSettings, FeatureEvidence
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


def test_attention_list_comes_first_most_likely_first(overview: OverviewData) -> None:
    assert sentences(overview)[:3] == [
        "Checkout (86% likely regressing, about 12,400 users exposed): act now risk 86% "
        "(p95 latency up 48% in 7 days while feedback fell 0.5); "
        "past a degradation threshold (p95 latency +28%).",
        "Search (82% likely regressing, about 2,090 users exposed): act now risk 71% "
        "(crash rate up 0.9 pp since yesterday); past a degradation threshold (crash rate "
        "+1.0 pp); 1 anomaly in 7 days (strongest Apr 30: crash spike).",
        "Firmware 3.3.0 (73% likely regressing, about 1,195 devices exposed): 1 device segment "
        "in the fleet's immediate tier (worst: Aurora X1 2-3y at 4.7x the fleet's risk).",
    ]


def test_one_item_per_feature_with_its_combined_evidence(overview: OverviewData) -> None:
    items = overview.attention
    assert items["item_key"].is_unique
    search = items[items["item_key"] == "f001"].iloc[0]
    assert search["signals"] == "risk;crossing;anomaly"
    ev = FeatureEvidence()
    z = ev.intercept + ev.risk * math.log(0.71 / 0.29) + ev.anomaly + ev.crossing
    assert search["probability"] == pytest.approx(1 / (1 + math.exp(-z)), abs=0.01)


def test_overview_shows_at_most_the_budget_and_counts_the_rest(
    sample_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    cfg = default_config(tmp_path).model_copy(update={"attention": AttentionSettings(budget=1)})
    data = load_overview(sample_con, cfg)
    found = insights.attention(data)
    assert [i.severity for i in found] == ["critical", "info"]
    assert found[0].text.startswith("Checkout (86% likely regressing")
    assert found[1].text == (
        "And 2 lower-priority signals, outside today's budget of 1 "
        "(see the Feature risk, Fleet and Patches pages)."
    )


def test_quality_verdict_follows_the_list(overview: OverviewData) -> None:
    assert sentences(overview)[-1] == (
        "Data quality of the latest run: WARN; 4 rows quarantined "
        "(feedback_score is 6% empty (warn at 5%))."
    )


def test_empty_overview_gives_no_sentences() -> None:
    assert insights.build_insights(OverviewData()) == []


def test_an_empty_list_says_nothing_needs_attention(overview: OverviewData) -> None:
    calm = OverviewData(attention=overview.attention.iloc[0:0])
    assert [i.text for i in insights.attention(calm)] == []
    quiet = OverviewData(attention=overview.attention.assign(in_budget=False))
    assert next(i.text for i in insights.attention(quiet)) == (
        "Nothing needs attention on the latest data."
    )


def test_a_stored_list_of_the_latest_day_is_the_one_shown(
    sample_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    cfg = default_config(tmp_path)
    con = sample_con.cursor()
    day = load_overview(con, cfg).data_end
    stored = draw_up(con, cfg, day).head(1).with_columns(title=pl.lit("stored item"))
    store.write(con, day, stored, "run-x")
    try:
        assert insights.attention(load_overview(con, cfg))[0].text.startswith("Stored item (")
    finally:
        con.execute("DELETE FROM attention_item")


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
