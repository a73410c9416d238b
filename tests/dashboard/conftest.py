"""Dashboard fixtures: the tiny demo world built by the real stages, AppTest helpers.

The pages are tested on ``demo_workspace`` (tests/conftest.py: generate + run + train once per
session), so the tables they read are the production tables and cannot drift from them; what a
page shows is asserted against what the areas' read APIs return on the same warehouse.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from vigil.config import VigilConfig, load_config
from vigil.warehouse.connection import open_warehouse


def _servers() -> list[int]:
    """Streamlit servers this test process started (its descendants) that are still running."""
    import psutil

    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "vigil.dashboard.launch" in child.cmdline() and child.status() != "zombie":
                found.append(child.pid)
        except psutil.NoSuchProcess:
            continue
    return found


@pytest.fixture(scope="session", autouse=True)
def no_server_left_running() -> Iterator[None]:
    """After the dashboard tests, no Streamlit server they started may still be serving."""
    yield
    assert _servers() == [], "a dashboard test left a Streamlit server running"


def page_script(config: str, page: str | None) -> None:
    """The AppTest script: the real app entry point, one page (or the navigation when None)."""
    from pathlib import Path

    from vigil.dashboard.app import main

    main(Path(config), page)


@pytest.fixture
def run_page() -> Callable[..., AppTest]:
    """Run one page of the app against a config, with a clean cache, and return the AppTest."""

    def run(config: Path, page: str | None = "overview") -> AppTest:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_function(page_script, args=(str(config), page), default_timeout=120)
        return at.run()

    return run


def write_config(root: Path) -> Path:
    path = root / "vigil.yaml"
    path.write_text("workspace: .vigil\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def demo_config(demo_workspace: Path) -> Path:
    """The demo world's config (read-only use: copy it with ``copy_demo`` to change it)."""
    return demo_workspace / "vigil.yaml"


@pytest.fixture(scope="session")
def demo_cfg(demo_config: Path) -> VigilConfig:
    return load_config(demo_config)


@pytest.fixture
def demo_con(demo_cfg: VigilConfig) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the demo warehouse, closed after the test."""
    with open_warehouse(demo_cfg.warehouse_path, read_only=True) as con:
        yield con


def copy_demo(demo_config: Path, target: Path) -> Path:
    """A private copy of the demo workspace (config, data, warehouse) to change; its config."""
    shutil.copytree(demo_config.parent, target, ignore=shutil.ignore_patterns("logs"))
    return target / demo_config.name


def texts(at: AppTest) -> list[str]:
    """Every markdown, caption, title and alert text on the page."""
    groups = (
        at.title,
        at.subheader,
        at.markdown,
        at.caption,
        at.info,
        at.warning,
        at.error,
        at.success,
        at.code,
    )
    return [str(el.value) for group in groups for el in group]


def frame(at: AppTest, index: int = 0) -> pd.DataFrame:
    """The DataFrame behind the index-th st.dataframe."""
    return at.dataframe[index].value


def with_column(at: AppTest, column: str) -> pd.DataFrame:
    """The first st.dataframe on the page that has the column."""
    return next(df.value for df in at.dataframe if column in df.value.columns)
