"""Every page through Streamlit's AppTest on the demo world (real stages), and the empty states.

What a page shows is asserted against what the areas' read APIs return on the same warehouse.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from tests.dashboard.conftest import frame, texts, with_column, write_config

from vigil.config import VigilConfig
from vigil.dashboard.app import PAGES
from vigil.dashboard.formatting import day, plain, tier_label
from vigil.dashboard.insights import build_insights
from vigil.dashboard.overview import load_overview
from vigil.dashboard.palette import SEVERITY_ICONS
from vigil.dashboard.pending import score_pending
from vigil.dashboard.ui import INSIGHT_BREAK
from vigil.fleet.queries import fleet_risk
from vigil.monitoring.store import latest_drift_report
from vigil.patches.read import released
from vigil.registry import read as registry_read
from vigil.reporting import run_history
from vigil.risk import read as risk_read
from vigil.warehouse import read
from vigil.warehouse.connection import connect

RunPage = Callable[..., AppTest]


def test_overview_shows_every_insight_the_kpis_and_the_data_date(
    run_page: RunPage, demo_config: Path, demo_cfg: VigilConfig, demo_con: duckdb.DuckDBPyConnection
) -> None:
    data = load_overview(demo_con, demo_cfg)
    sentences = [plain(i.text) for i in build_insights(data)]
    at = run_page(demo_config, "overview")
    assert not at.exception
    page = texts(at)
    assert any(f"Data through **{day(data.data_end)}**" in t for t in page)
    icons = tuple(f"{icon}&nbsp; " for icon in SEVERITY_ICONS.values())
    (listed,) = [t for t in page if t.startswith(icons)]  # the insight list: one markdown element
    shown = listed.split(INSIGHT_BREAK)  # a paragraph per insight, each with a severity icon
    assert all(line.startswith(icons) for line in shown)
    assert [t.split("&nbsp; ", 1)[1] for t in shown] == sentences
    assert len(sentences) >= 2  # the demo world has at least one item beside the quality verdict
    tiers = data.tiers[data.tiers["period"] == "current"].set_index("tier")["features"]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Act now"] == str(int(tiers.get("act_now", 0)))
    assert tiles["Investigate"] == str(int(tiers.get("investigate", 0)))
    (table,) = [t for t in page if t.startswith("| Top features by impact | Tier | Risk |")]
    rows = [line.strip("| ").split(" | ") for line in table.splitlines()[2:]]
    assert [r[0] for r in rows] == [plain(n) for n in data.ranked["feature_name"]]
    assert [r[1] for r in rows] == [tier_label(t) for t in data.ranked["tier"]]
    (chart,) = [t for t in page if t.startswith('<svg data-testid="vigilBarChart"')]
    for tier in ("act_now", "investigate", "watch"):
        latest = f"<title>{tier_label(tier)}, latest: {int(tiers.get(tier, 0))}</title>"
        assert latest in chart


def test_risk_page_ranked_table_sparklines_and_filters(
    run_page: RunPage, demo_config: Path, demo_cfg: VigilConfig, demo_con: duckdb.DuckDBPyConnection
) -> None:
    ranked = risk_read.ranked(demo_con).to_pandas()
    at = run_page(demo_config, "risk")
    assert not at.exception
    table = frame(at)
    assert list(table["feature_name"]) == list(ranked["feature_name"])
    sparks = read.sparklines(demo_con, demo_cfg.dashboard.sparkline_days).to_pandas()
    expected = dict(zip(sparks["feature_id"], sparks["latency_trend"], strict=True))
    for shown, fid in zip(table["latency_trend"][:5], ranked["feature_id"][:5], strict=True):
        assert list(shown) == list(expected[fid])
    assert f"Highest impact: **{plain(ranked.iloc[0]['feature_name'])}**" in at.markdown[0].value
    team = str(ranked.iloc[-1]["owner_team"])
    at.multiselect(key="filter_owner_team").set_value([team]).run()
    filtered = frame(at)
    assert list(filtered["feature_name"]) == list(
        ranked[ranked["owner_team"] == team]["feature_name"]
    )


def test_risk_page_compares_features_and_shows_cohorts(
    run_page: RunPage, demo_config: Path, demo_con: duckdb.DuckDBPyConnection
) -> None:
    names = list(risk_read.ranked(demo_con)["feature_name"])
    at = run_page(demo_config, "risk")
    assert [m.label for m in at.metric] == [plain(n) for n in names[:2]]
    at.multiselect(key="compare").set_value(names[:3]).run()
    assert [m.label for m in at.metric] == [plain(n) for n in names[:3]]
    assert len(at.get("plotly_chart")) == 3  # two comparison charts + the cohort chart
    at.radio(key="cohort").set_value("Device model").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3


def test_trends_page_defaults_to_the_riskiest_feature_with_its_events(
    run_page: RunPage, demo_config: Path, demo_con: duckdb.DuckDBPyConnection
) -> None:
    ranked = risk_read.ranked(demo_con).to_pandas()
    at = run_page(demo_config, "trends")
    assert not at.exception
    assert at.selectbox(key="trend_feature").value == ranked.iloc[0]["feature_name"]
    assert len(at.get("plotly_chart")) == 4
    for name, fid in zip(ranked["feature_name"][:3], ranked["feature_id"][:3], strict=True):
        at.selectbox(key="trend_feature").set_value(name).run()
        events = len(read.feature_deployments(demo_con, fid)) + len(
            read.feature_incidents(demo_con, fid)
        )
        tables = [df.value for df in at.dataframe if "kind" in df.value.columns]
        assert (len(tables[0]) if tables else 0) == events


def test_patches_page_shows_the_gate_decision_and_released_patches(
    run_page: RunPage, demo_config: Path, demo_cfg: VigilConfig, demo_con: duckdb.DuckDBPyConnection
) -> None:
    pending = score_pending(demo_cfg)
    at = run_page(demo_config, "patches")
    assert not at.exception
    assert pending.decision is not None, "the demo trains a patch model and writes pending patches"
    alert = at.error if pending.decision == "BLOCKED" else at.success
    assert alert[0].value.startswith(f"CI gate decision: **{pending.decision}**")
    shown = frame(at, 0)
    assert list(shown["decision"]) == list(pending.patches["decision"])
    newest = released(demo_con).row(0, named=True)
    assert with_column(at, "release_date").iloc[0]["firmware_version"] == newest["firmware_version"]


def test_fleet_page_heatmap_and_watch_list(
    run_page: RunPage, demo_config: Path, demo_con: duckdb.DuckDBPyConnection
) -> None:
    risk = fleet_risk(demo_con).to_pandas()
    at = run_page(demo_config, "fleet")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    watch = frame(at)
    assert len(watch) == len(risk)
    assert list(watch["device_model"]) == list(risk["device_model"])
    assert list(watch["tier"]) == list(risk["tier"])


def test_health_page_models_drift_quality_runs(
    run_page: RunPage, demo_config: Path, demo_cfg: VigilConfig, demo_con: duckdb.DuckDBPyConnection
) -> None:
    versions = registry_read.versions(demo_con)
    summary, drift = latest_drift_report(demo_con)
    run = read.latest_run(demo_con)
    checks = read.quality_checks(run, demo_cfg.workspace_dir)
    at = run_page(demo_config, "health")
    assert not at.exception
    models = frame(at, 0)
    assert list(zip(models["name"], models["version"], strict=True)) == list(
        zip(versions["name"], versions["version"], strict=True)
    )
    assert "champion" in set(models["aliases"])
    drifted = int(drift["drifted"].sum())
    assert any(
        t.startswith(f"**{drifted} of {drift.height}** monitored columns drifted")
        for t in texts(at)
    )
    assert list(with_column(at, "status")["status"]) == [c["status"] for c in checks]
    runs = with_column(at, "rows_in")
    assert list(runs["run_id"]) == [r["run_id"] for r in run_history(demo_con, 50)]
    assert summary["run_id"] in {r["run_id"] for r in run_history(demo_con, 50)}


def test_navigation_opens_on_the_overview(run_page: RunPage, demo_config: Path) -> None:
    at = run_page(demo_config, None)
    assert not at.exception
    assert at.title[0].value == "Reliability overview"


def test_no_warehouse_file_shows_the_command_to_run(run_page: RunPage, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    at = run_page(config, None)
    assert not at.exception
    assert at.warning[0].value.startswith("No warehouse yet at ")
    assert at.code[0].value == f"vigil run -c {config}"


def test_missing_config_shows_the_demo_command(run_page: RunPage, tmp_path: Path) -> None:
    at = run_page(tmp_path / "nope.yaml", None)
    assert not at.exception
    assert "config file not found" in at.warning[0].value
    assert at.code[0].value == "vigil demo --workspace demo"


@pytest.mark.parametrize("page", [p.URL for p in PAGES])
def test_every_page_copes_with_an_empty_warehouse(
    run_page: RunPage, tmp_path: Path, page: str
) -> None:
    config = write_config(tmp_path)
    connect(tmp_path / ".vigil" / "warehouse.duckdb").close()  # schema only, no rows
    at = run_page(config, page)
    assert not at.exception
    assert not at.error
    assert any(f"vigil run -c {config}" in c.value for c in at.code) or at.info


def test_a_warehouse_without_vigil_tables_says_a_run_adds_them(
    run_page: RunPage, tmp_path: Path
) -> None:
    config = write_config(tmp_path)
    (tmp_path / ".vigil").mkdir()
    duckdb.connect(str(tmp_path / ".vigil" / "warehouse.duckdb")).close()
    at = run_page(config, None)
    assert not at.exception
    assert "lacks" in at.warning[0].value and "a run adds them" in at.warning[0].value
    assert at.code[0].value == f"vigil run -c {config}"


def test_page_list_matches_the_navigation() -> None:
    from vigil.dashboard.views import PAGE_URLS

    assert tuple(p.URL for p in PAGES) == PAGE_URLS


def test_overview_top_table_is_the_ranked_head(
    demo_cfg: VigilConfig, demo_con: duckdb.DuckDBPyConnection
) -> None:
    data = load_overview(demo_con, demo_cfg)
    ranked = risk_read.ranked(demo_con).to_pandas()
    pd.testing.assert_frame_equal(data.ranked, ranked.head(5))


@pytest.mark.parametrize("page", [p.URL for p in PAGES])
def test_every_page_draws_the_demo_world_without_error(
    run_page: RunPage, demo_config: Path, page: str
) -> None:
    at = run_page(demo_config, page)
    assert not at.exception
    assert not at.error or page == "patches"  # the gate's BLOCKED verdict is an st.error
    assert not [e.value for e in at.error if "could not be drawn" in e.value]
