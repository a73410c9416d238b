"""The server's start-up before serving: a best-effort warm-up that leaves the warehouse free,
and what is loaded frozen out of the collector's full passes."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import pytest
import streamlit.delta_generator as delta_generator
from tests.dashboard.test_warehouse_lock import reader

from vigil.config import load_config
from vigil.dashboard.launch import freeze, warm
from vigil.warehouse.connection import open_warehouse


def test_warm_reads_the_overview_and_leaves_no_connection_open(
    demo_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    warm(demo_config)
    assert delta_generator._use_warning_has_been_displayed  # the stack walk is done
    with open_warehouse(load_config(demo_config).warehouse_path) as con:  # a writer gets it
        assert con.execute("SELECT count(*) FROM run_history").fetchone()[0] >= 1


@pytest.mark.parametrize("case", ["no config", "missing config", "busy warehouse"])
def test_warm_never_fails_the_server_start(
    case: str, demo_config: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = {"no config": None, "missing config": tmp_path / "nope.yaml"}.get(case, demo_config)
    caplog.set_level(logging.DEBUG, logger="vigil.dashboard.launch")
    if case == "busy warehouse":
        with reader(load_config(demo_config).warehouse_path, 600, mode="write"):
            warm(config)
    else:
        warm(config)
    skipped = [r.getMessage() for r in caplog.records if "warm-up skipped" in r.getMessage()]
    assert len(skipped) == (0 if config is None else 1)
    assert logging.root.manager.disable == logging.NOTSET  # logging is back on


def test_freeze_keeps_what_is_loaded_out_of_full_collections() -> None:
    gc.unfreeze()
    try:
        freeze()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the libraries the server preloaded, at least
        gc.collect(2)
        assert gc.get_freeze_count() == frozen  # a full pass leaves them where they are
    finally:
        gc.unfreeze()
