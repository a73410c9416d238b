"""The dashboard opens its source once per version of the config and warehouse files: a rerun
whose files did not change opens no connection, and a new run is seen at once."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from tests.dashboard.conftest import copy_demo
from tests.dashboard.test_warehouse_lock import reader

from vigil.dashboard.source import Unavailable, open_source, warehouse_stamp
from vigil.warehouse.connection import connect, open_warehouse
from vigil.warehouse.read import latest_run
from vigil.workspace import Workspace


@pytest.fixture
def workspace_copy(demo_config: Path, tmp_path: Path) -> Path:
    st.cache_resource.clear()
    st.cache_data.clear()
    return copy_demo(demo_config, tmp_path / "ws")


def run_id(config: Path) -> str:
    ws = Workspace.open(config, log_to_file=False)
    with open_warehouse(ws.config.warehouse_path, read_only=True) as con:
        return str(latest_run(con)["run_id"])  # type: ignore[index]


def test_an_unchanged_warehouse_is_not_opened_again(workspace_copy: Path) -> None:
    first = open_source(workspace_copy)
    assert first.run_key.startswith(f"run:{run_id(workspace_copy)}@")
    with reader(first.cfg.warehouse_path, 600, mode="write"):  # a connection would fail now
        again = open_source(workspace_copy)
    assert again.run_key == first.run_key
    assert again.workspace is first.workspace


def test_a_new_run_is_seen_by_the_next_rerun(workspace_copy: Path) -> None:
    before = open_source(workspace_copy)
    stamp = warehouse_stamp(before.cfg.warehouse_path)
    Workspace.open(workspace_copy, log_to_file=False).run()
    assert warehouse_stamp(before.cfg.warehouse_path) != stamp
    after = open_source(workspace_copy)
    assert after.run_key.startswith(f"run:{run_id(workspace_copy)}@")
    assert after.run_key != before.run_key


def test_a_changed_config_is_read_again(workspace_copy: Path) -> None:
    before = open_source(workspace_copy)
    text = workspace_copy.read_text(encoding="utf-8")
    workspace_copy.write_text(text + "\nnot valid: [\n", encoding="utf-8")
    with pytest.raises(Unavailable):
        open_source(workspace_copy)
    workspace_copy.write_text(text, encoding="utf-8")
    assert open_source(workspace_copy).run_key == before.run_key


def test_a_failure_is_not_cached(tmp_path: Path) -> None:
    st.cache_resource.clear()
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n", encoding="utf-8")
    with pytest.raises(Unavailable, match="No warehouse yet"):
        open_source(config)
    warehouse = Workspace.open(config, log_to_file=False).config.warehouse_path
    connect(warehouse).close()  # the schema, as a first run creates it
    assert open_source(config).run_key.startswith("empty@")
