"""Every page through Streamlit's AppTest on the sample warehouse, and the empty states."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from tests.dashboard.conftest import frame, texts, with_column, write_config

from vigil.dashboard.app import PAGES
from vigil.warehouse.connection import connect

RunPage = Callable[..., AppTest]


def test_overview_shows_insights_kpis_and_data_date(
    run_page: RunPage, sample_config: Path, fake_scoring: None
) -> None:
    at = run_page(sample_config, "overview")
    assert not at.exception
    page = texts(at)
    assert any("Data through **Apr 30, 2026**" in t for t in page)
    attention = [t for t in page if "likely regressing" in t or "lower-priority" in t]
    assert attention[0].endswith(
        "Pending patches (91% likely regressing): "
        "the CI gate blocks 1 of 3 pending patches: P-101 (91%)."
    )
    assert attention[1].endswith(
        "Checkout (86% likely regressing, about 12,400 users exposed): act now risk 86% "
        "(p95 latency up 48% in 7 days while feedback fell 0.5); "
        "past a degradation threshold (p95 latency +28%)."
    )
    assert len(attention) == 4  # the gate, two features and one firmware: within the budget
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Act now"] == "2"
    assert tiles["Investigate"] == "0"
    assert at.metric[0].delta == "+0"
    assert frame(at).iloc[0]["feature_name"] == "Checkout"


def test_risk_page_ranked_table_first_row_and_filters(
    run_page: RunPage, sample_config: Path
) -> None:
    at = run_page(sample_config, "risk")
    assert not at.exception
    table = frame(at)
    first = table.iloc[0]
    assert (first["feature_name"], first["tier"]) == ("Checkout", "Act now")
    assert len(first["latency_trend"]) == 28
    assert "Highest impact: **Checkout**" in at.markdown[0].value
    at.multiselect(key="filter_owner_team").set_value(["identity"]).run()
    filtered = frame(at)
    assert set(filtered["owner_team"]) == {"identity"}
    assert set(filtered["feature_name"]) == {"Login", "Maps"}


def test_risk_page_compares_features_and_shows_cohorts(
    run_page: RunPage, sample_config: Path
) -> None:
    at = run_page(sample_config, "risk")
    assert [m.label for m in at.metric] == ["Checkout", "Search"]
    at.multiselect(key="compare").set_value(["Checkout", "Search", "Login"]).run()
    assert [m.label for m in at.metric] == ["Checkout", "Search", "Login"]
    assert len(at.get("plotly_chart")) == 3  # two comparison charts + the cohort chart
    at.radio(key="cohort").set_value("Device model").run()
    assert not at.exception


def test_trends_page_defaults_to_riskiest_feature_with_annotations(
    run_page: RunPage, sample_config: Path
) -> None:
    at = run_page(sample_config, "trends")
    assert not at.exception
    assert at.selectbox(key="trend_feature").value == "Checkout"
    assert len(at.get("plotly_chart")) == 4
    events = frame(at)
    assert list(events["kind"]) == ["deployment", "deployment", "incident"]
    at.selectbox(key="trend_feature").set_value("Search").run()
    assert list(frame(at)["kind"]) == ["deployment"]


def test_patches_page_shows_gate_decision_and_qa_queue(
    run_page: RunPage, sample_config: Path, fake_scoring: None
) -> None:
    at = run_page(sample_config, "patches")
    assert not at.exception
    assert at.error[0].value.startswith("CI gate decision: **BLOCKED** — 1 of 3 pending patches")
    pending = frame(at, 0)
    assert list(pending["patch_id"]) == ["P-101", "P-102", "P-103"]
    assert list(pending["decision"]) == ["BLOCK", "MARGINAL", "PASS"]
    queue = frame(at, 1)
    assert list(queue["qa_rank"]) == [1, 2, 3]
    assert list(queue["patch_id"]) == ["P-102", "P-103", "P-101"]  # risk per line of effort
    released = frame(at, 2)
    assert released.iloc[0]["firmware_version"] == "3.6.0"


def test_patches_page_without_a_model_says_how_to_train(
    run_page: RunPage, sample_config: Path
) -> None:
    at = run_page(sample_config, "patches")
    assert not at.exception
    assert len(at.dataframe) == 1  # only released patches
    assert at.info[0].value  # a message instead of a gate decision


def test_fleet_page_heatmap_and_watch_list(run_page: RunPage, sample_config: Path) -> None:
    at = run_page(sample_config, "fleet")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    watch = frame(at)
    assert (watch.iloc[0]["device_model"], watch.iloc[0]["firmware_version"]) == (
        "Aurora X1",
        "3.3.0",
    )
    assert watch.iloc[0]["tier"] == "immediate"


def test_health_page_models_drift_quality_runs(run_page: RunPage, sample_config: Path) -> None:
    at = run_page(sample_config, "health")
    assert not at.exception
    models = frame(at, 0)
    assert list(models["version"]) == [2, 1]
    assert models.iloc[0]["aliases"] == "champion" and models.iloc[1]["aliases"] == ""
    assert models.iloc[0]["roc_auc"] == pytest.approx(0.84)
    assert "**1 of 4** monitored columns drifted in run `run-2`." in texts(at)
    quality = with_column(at, "status")
    assert list(quality["status"]) == ["pass", "warn"]
    runs = with_column(at, "rows_in")
    assert list(runs["run_id"]) == ["run-2", "run-1"]


def test_navigation_opens_on_the_overview(run_page: RunPage, sample_config: Path) -> None:
    at = run_page(sample_config, None)
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


@pytest.mark.parametrize("page", [p.URL for p in PAGES])
def test_every_page_copes_with_a_warehouse_without_tables(
    run_page: RunPage, tmp_path: Path, page: str
) -> None:
    config = write_config(tmp_path)
    (tmp_path / ".vigil").mkdir()
    duckdb.connect(str(tmp_path / ".vigil" / "warehouse.duckdb")).close()
    at = run_page(config, page)
    assert not at.exception
    assert not at.error
    assert at.info


def test_page_list_matches_the_navigation() -> None:
    from vigil.dashboard.views import PAGE_URLS

    assert tuple(p.URL for p in PAGES) == PAGE_URLS
