"""The outcomes stage writes both tables (idempotently); the read API serves them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from tests.outcomes import crafted

from vigil.config import VigilConfig
from vigil.context import RunContext
from vigil.outcomes import store
from vigil.outcomes.stage import run_stage
from vigil.stages import STAGES
from vigil.warehouse.connection import memory_warehouse


def test_stage_writes_attributions_and_outcomes_and_reruns_the_same(tmp_path: Path) -> None:
    con = memory_warehouse()
    crafted.load(con, tmp_path)
    cfg = VigilConfig.model_validate({"root": tmp_path, "outcomes": {"weights": crafted.WEIGHTS}})
    now = dt.datetime(2026, 4, 1, 12)
    ctx = RunContext(cfg=cfg, con=con, run_id="r1", report_dir=tmp_path, now=now)
    summary = run_stage(ctx)
    assert summary["through"] == "2026-03-31"
    counts = ("episodes", "attributed", "releases_regressed", "releases_clean", "releases_pending")
    assert [summary[k] for k in counts] == [2, 1, 1, 3, 1]
    assert summary["label_source"] == "file"
    first = store.release_outcomes(con)
    assert first.height == 6
    assert store.attributions(con).height == 3
    assert store.release_outcomes(con, "file")["firmware_version"].to_list() == ["2.9"]
    ctx.run_id = "r2"
    run_stage(ctx)
    again = store.release_outcomes(con)
    assert again.drop("run_id").equals(first.drop("run_id"))
    assert set(again["run_id"]) == {"r2"}
    only = store.attributions(con, "3.1")
    assert only.select("deployment_id", "rank", "attributed").rows() == [("DEP-1", 1, True)]


def test_read_api_before_any_run_is_empty() -> None:
    con = memory_warehouse()
    con.execute("DROP TABLE release_outcome")
    con.execute("DROP TABLE regression_attribution")
    assert store.release_outcomes(con).equals(pl.DataFrame())
    assert store.attributions(con).equals(pl.DataFrame())


def test_the_stage_runs_after_detection_and_before_patches() -> None:
    names = [s.name for s in STAGES]
    assert names.index("detection") < names.index("outcomes") < names.index("patches")
    assert next(s for s in STAGES if s.name == "outcomes").needs == ("detection",)
