"""End to end in a real headless Chromium: `vigil dashboard` serving a demo warehouse.

Starts the CLI as a subprocess on a free localhost port, opens every page, waits for the element
each page is judged by (Streamlit renders progressively), checks it and saves a screenshot per page
to test-artifacts/. Chromium must be at /usr/bin/chromium (scripts/ensure_chromium.sh installs it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from benchmarks.dashboard_browser import CHROMIUM_ARGS, free_port, serve, stop

from vigil.config import load_config
from vigil.dashboard.insights import build_insights
from vigil.dashboard.overview import load_overview
from vigil.dashboard.pending import score_pending
from vigil.risk.read import ranked
from vigil.warehouse.connection import open_warehouse
from vigil.warehouse.read import latest_run

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WAIT_MS = 90_000
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
FIRST_CELL = "first table cell: "
FIRST_ROW = "first markdown table row: "
BAR_CHART = "bar chart: "
# Plotly and the data grid load lazily: a skeleton first, then the element, then its drawing.
CHARTS_DRAWN = (
    "() => !document.querySelector('[data-testid=stSkeleton]')"
    " && [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
    ".every(e => e.querySelector('svg.main-svg'))"
)


def expected_marks(config: Path) -> dict[str, list[str]]:
    """Per page, the texts it must show, computed from the warehouse through the package API."""
    cfg = load_config(config)
    with open_warehouse(cfg.warehouse_path, read_only=True) as con:
        data = load_overview(con, cfg)
        top = str(ranked(con)["feature_name"][0])
        run_id = str(latest_run(con)["run_id"])  # type: ignore[index]
    pending = score_pending(cfg)
    gate = f"CI gate decision: {pending.decision}" if pending.decision else pending.message
    return {
        "overview": [
            "What needs attention",
            build_insights(data)[0].text,
            BAR_CHART + "Features per risk tier",
            FIRST_ROW + top,
        ],
        "risk": [f"Highest impact: {top}", FIRST_CELL + top],
        "trends": [f"Latency — {top}"],
        "patches": [gate, "Released patches"],
        "fleet": ["Errors per 10k devices: model × firmware", "Watch list (age-weighted risk)"],
        "health": ["Run history", run_id],
    }


def check(page: Any, mark: str) -> None:
    """Wait for a text, a drawn inline bar chart, or a table's first cell to hold a value."""
    if mark.startswith(BAR_CHART):
        chart = page.locator('[data-testid="vigilBarChart"]').first
        chart.locator("rect").first.wait_for(state="attached", timeout=WAIT_MS)
        assert chart.get_attribute("aria-label") == mark.removeprefix(BAR_CHART)
        assert chart.bounding_box()["height"] > 100
        return
    if mark.startswith(FIRST_ROW):
        cell = page.locator('[data-testid="stMarkdownContainer"] table td').first
        cell.wait_for(state="visible", timeout=WAIT_MS)
        assert cell.inner_text() == mark.removeprefix(FIRST_ROW)
        return
    if mark.startswith(FIRST_CELL):
        cell = page.locator('[data-testid="stDataFrame"] [data-testid="glide-cell-0-0"]').first
        cell.wait_for(state="attached", timeout=WAIT_MS)
        assert cell.inner_text() == mark.removeprefix(FIRST_CELL)
        return
    page.get_by_text(mark, exact=False).first.wait_for(state="visible", timeout=WAIT_MS)


def screenshot(page: Any, path: Path) -> None:
    """Whole page: Streamlit scrolls inside its main block, so grow the viewport to fit it."""
    height = page.evaluate(
        "document.querySelector('[data-testid=stMainBlockContainer]').scrollHeight + 120"
    )
    page.set_viewport_size({"width": 1440, "height": min(max(int(height), 900), 6000)})
    page.wait_for_function(CHARTS_DRAWN, timeout=WAIT_MS)  # a resize redraws the charts
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


@pytest.fixture(scope="module")
def served(demo_workspace: Path) -> Iterator[tuple[str, Path]]:
    config = demo_workspace / "vigil.yaml"
    port = free_port()
    process = serve(config, port)
    try:
        yield f"http://127.0.0.1:{port}", config
    finally:
        stop(process)


def _local(url: str) -> bool:
    """A request the dashboard may make: to itself, or data the page holds already."""
    local = urlsplit(url).hostname in {"127.0.0.1", "localhost"}
    return local or url.startswith(("data:", "blob:"))


@pytest.mark.browser
def test_every_page_renders_in_headless_chromium(served: tuple[str, Path]) -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run 'sudo bash scripts/ensure_chromium.sh' (apt-get "
            "install chromium chromium-driver) before the browser tests"
        )
    from playwright.sync_api import sync_playwright

    url, config = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not _local(r.url) else None)
        for name, marks in expected_marks(config).items():
            page.goto(f"{url}/{name}" if name != "overview" else url)
            for mark in marks:
                check(page, mark)
            page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=WAIT_MS)
            page.wait_for_function(CHARTS_DRAWN, timeout=WAIT_MS)
            assert page.locator('[data-testid="stException"]').count() == 0, name
            screenshot(page, ARTIFACTS / f"dashboard-{name}.png")
        browser.close()
    assert outside == [], "the dashboard made the browser reach beyond this machine"
    assert sorted(p.name for p in ARTIFACTS.glob("dashboard-*.png")) == sorted(
        f"dashboard-{n}.png" for n in expected_marks(config)
    )
