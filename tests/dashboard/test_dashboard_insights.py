"""Insight sentences and overview data on the demo world (the stored attention list)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as hs
from tests.dashboard.conftest import copy_demo

from vigil.attention import store
from vigil.attention.build import current, draw_up
from vigil.attention.settings import AttentionSettings
from vigil.config import VigilConfig, default_config, load_config
from vigil.dashboard import insights
from vigil.dashboard.formatting import count, join_names, pct, plain
from vigil.dashboard.overview import OverviewData, load_overview
from vigil.warehouse import read
from vigil.warehouse.connection import open_warehouse


@pytest.fixture
def overview(demo_con: duckdb.DuckDBPyConnection, demo_cfg: VigilConfig) -> OverviewData:
    return load_overview(demo_con, demo_cfg)


def test_one_sentence_per_item_in_the_budget_most_likely_first(
    overview: OverviewData, demo_con: duckdb.DuckDBPyConnection, demo_cfg: VigilConfig
) -> None:
    items = current(demo_con, demo_cfg, overview.data_end).filter(pl.col("in_budget"))
    found = [i for i in insights.attention(overview) if i.topic != "attention"]
    assert len(found) == items.height > 0
    for insight, item in zip(found, items.sort("rank").iter_rows(named=True), strict=True):
        title = str(item["title"])
        assert insight.text.startswith(f"{title[:1].upper()}{title[1:]}")
        assert item["kind"] == "data" or f"{pct(item['probability'])} likely regressing" in (
            insight.text
        )
        urgent = item["probability"] >= demo_cfg.risk.tiers.act_now
        assert insight.severity == ("critical" if urgent else "warning")


def test_a_smaller_budget_shows_fewer_and_counts_the_rest(
    overview: OverviewData, demo_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    cfg = default_config(tmp_path).model_copy(update={"attention": AttentionSettings(budget=1)})
    listed = draw_up(demo_con, cfg, overview.data_end)
    assert listed.height >= 2, "the demo world has more than one candidate"
    data = OverviewData(attention=listed.to_pandas(), urgent=overview.urgent)
    found = insights.attention(data)
    assert len(found) == 2
    rest = listed.height - 1
    assert found[1].text == (
        f"And {rest} lower-priority signal{'s' if rest > 1 else ''}, outside today's budget of 1 "
        "(see the Feature risk, Fleet and Patches pages)."
    )


def test_quality_verdict_follows_the_list(overview: OverviewData) -> None:
    run = overview.latest_run
    assert run is not None
    status = str(run["quality_status"]).upper()
    bad = [c["reason"] for c in overview.quality if c["status"] in {"warn", "fail"}]
    expected = (
        f"Data quality of the latest run: {status}; {count(run['rows_quarantined'])} rows "
        "quarantined" + (f" ({join_names(bad, 2)})." if bad else ".")
    )
    assert insights.build_insights(overview)[-1].text == expected


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
    demo_config: Path, tmp_path: Path
) -> None:
    cfg = load_config(copy_demo(demo_config, tmp_path / "ws"))
    with open_warehouse(cfg.warehouse_path) as con:
        day = read.data_window(con)[1]
        stored = draw_up(con, cfg, day).head(1).with_columns(title=pl.lit("stored item"))
        store.write(con, day, stored, "run-x")
        assert insights.attention(load_overview(con, cfg))[0].text.startswith("Stored item (")


def test_kpis_compare_the_latest_day_with_a_week_earlier(
    overview: OverviewData, demo_con: duckdb.DuckDBPyConnection
) -> None:
    kpis = overview.kpis.set_index("period")
    assert (kpis.loc["current", "event_date"] - kpis.loc["previous", "event_date"]).days == 7
    latest = demo_con.execute(
        "SELECT count(*) FROM fact_feature_daily "
        "WHERE event_date = (SELECT max(event_date) FROM fact_feature_daily)"
    ).fetchall()[0]
    assert kpis.loc["current", "features"] == latest[0]


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


@given(hs.text())
def test_plain_text_unescapes_to_itself(text: str) -> None:
    import re

    assert re.sub(r"\\(.)", r"\1", plain(text), flags=re.DOTALL) == text


def test_config_default_paths(tmp_path: Path) -> None:
    cfg = default_config(tmp_path)
    assert (
        cfg.dashboard.pending_patches_path(cfg.root)
        == (tmp_path / "data/pending_patches.csv").resolve()
    )
    assert cfg.dashboard.host == "127.0.0.1" and cfg.dashboard.port == 8501
