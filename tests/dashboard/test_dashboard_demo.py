"""Pages against the lead's tiny demo world (the real pipeline's tables), asserting data-driven
content: what the page shows must be what the package API computes from the same warehouse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests.dashboard.conftest import frame, texts

from vigil.config import load_config
from vigil.dashboard import queries
from vigil.dashboard.insights import build_insights
from vigil.dashboard.overview import load_overview
from vigil.dashboard.pending import score_pending
from vigil.dashboard.views import PAGE_URLS
from vigil.warehouse.connection import open_warehouse

RunPage = Callable[..., AppTest]


@pytest.fixture(scope="module")
def demo_config(demo_workspace: Path) -> Path:
    return demo_workspace / "vigil.yaml"


def test_demo_overview_shows_every_insight(run_page: RunPage, demo_config: Path) -> None:
    cfg = load_config(demo_config)
    with open_warehouse(cfg.warehouse_path, read_only=True) as con:
        expected = [i.text for i in build_insights(load_overview(con, cfg))]
    assert expected, "the demo world should produce at least one insight"
    page = texts(run_page(demo_config, "overview"))
    for sentence in expected:
        assert any(t.endswith(sentence) for t in page), sentence


def test_demo_risk_table_first_row_is_the_highest_impact(
    run_page: RunPage, demo_config: Path
) -> None:
    cfg = load_config(demo_config)
    with open_warehouse(cfg.warehouse_path, read_only=True) as con:
        top = queries.ranked_features(con).iloc[0]["feature_name"]
    assert frame(run_page(demo_config, "risk")).iloc[0]["feature_name"] == top


def test_demo_patches_page_shows_the_gate_decision(run_page: RunPage, demo_config: Path) -> None:
    pending = score_pending(load_config(demo_config))
    at = run_page(demo_config, "patches")
    if pending.decision is None:
        assert at.info[0].value == pending.message
    else:
        alert = at.error if pending.decision == "BLOCKED" else at.success
        assert alert[0].value.startswith(f"CI gate decision: **{pending.decision}**")


@pytest.mark.parametrize("page", PAGE_URLS)
def test_demo_every_page_draws_without_error(
    run_page: RunPage, demo_config: Path, page: str
) -> None:
    at = run_page(demo_config, page)
    assert not at.exception
    assert not [e.value for e in at.error if "could not be drawn" in e.value]
