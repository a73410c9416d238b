"""Dashboard fixtures: a hand-built sample warehouse, a fake patch scorer, AppTest helpers."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from vigil.dashboard.sample import build_sample_warehouse
from vigil.warehouse.connection import connect

PENDING = (
    "patch_id,patch_type,lines_added,lines_deleted,files_changed,test_risk\n"
    "P-101,feature,4000,900,80,0.91\n"
    "P-102,bugfix,30,10,2,0.40\n"
    "P-103,security,12,4,1,0.05\n"
)


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
        at = AppTest.from_function(page_script, args=(str(config), page), default_timeout=120)
        return at.run()

    return run


def write_config(root: Path) -> Path:
    path = root / "vigil.yaml"
    path.write_text("workspace: .vigil\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def sample_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace whose warehouse holds the dashboard's planted sample stories."""
    root = tmp_path_factory.mktemp("dash_sample")
    config = write_config(root)
    (root / "data").mkdir()
    (root / "data" / "pending_patches.csv").write_text(PENDING, encoding="utf-8")
    con = connect(root / ".vigil" / "warehouse.duckdb")
    try:
        build_sample_warehouse(con, n_features=8, days=40, report_dir=root / ".vigil" / "runs")
    finally:
        con.close()
    return config


def _fake_score(df: pl.DataFrame, cfg: object) -> pl.DataFrame:
    """Stands in for the champion model: the risk is the file's test_risk column."""
    return df.with_columns(
        risk=pl.col("test_risk").cast(pl.Float64),
        tier=pl.lit("x"),
        reasons=pl.format("churn {} lines", pl.col("lines_added") + pl.col("lines_deleted")),
    )


@pytest.fixture
def fake_scoring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Replace vigil.patches.scoring with a deterministic scorer (no trained model needed)."""
    module = types.ModuleType("vigil.patches.scoring")
    module.score_patches = _fake_score  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "vigil.patches.scoring", module)
    yield


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
