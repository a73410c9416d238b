"""A feature name is shown as text everywhere: one holding markdown link syntax never becomes a
link (every markdown surface of the pages rendered with a CommonMark parser)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest
from tests.dashboard.conftest import copy_demo, texts

from vigil.config import load_config
from vigil.risk.read import ranked
from vigil.warehouse.connection import open_warehouse

NAME = "[Checkout](https://evil.example/x) **now** :red[alarm] $x$"
RENDERED = "[Checkout](https://evil.example/x) **now** :red[alarm] $x$"


@pytest.fixture(scope="module")
def hostile_config(demo_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo world with its highest-impact feature renamed to markdown link syntax."""
    config = copy_demo(demo_config, tmp_path_factory.mktemp("hostile") / "ws")
    with open_warehouse(load_config(config).warehouse_path) as con:
        top = str(ranked(con)["feature_id"][0])
        con.execute("UPDATE dim_feature SET feature_name = ? WHERE feature_id = ?", [NAME, top])
        con.execute("UPDATE attention_item SET title = ? WHERE item_key = ?", [NAME, top])
    return config


def markdown_surfaces(at: AppTest) -> list[str]:
    """Every text the page hands to Streamlit's markdown: elements (markdown tables among them),
    metric labels, static-table cells."""
    cells = [str(v) for table in at.table for v in table.value.to_numpy().ravel()]
    return texts(at) + [m.label for m in at.metric] + cells


@pytest.mark.parametrize("page", ["overview", "risk", "trends"])
def test_a_name_with_link_syntax_is_shown_as_typed(
    run_page: Callable[..., AppTest], hostile_config: Path, page: str
) -> None:
    at = run_page(hostile_config, page)
    assert not at.exception
    html = [MarkdownIt("commonmark").render(text) for text in markdown_surfaces(at)]
    assert not [h for h in html if "<a " in h or "<strong>now" in h]
    if page != "trends":  # the trends page names the feature only in its picker and chart titles
        assert any(RENDERED in h for h in html)
    else:
        assert at.selectbox(key="trend_feature").value == NAME
