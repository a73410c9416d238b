"""The risk stage: copes with empty tables, trains when needed, rewrites idempotently."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from vigil.config import VigilConfig
from vigil.context import RunContext
from vigil.risk.queries import ranked_features
from vigil.risk.stage import run_stage
from vigil.warehouse.connection import memory_warehouse

from .conftest import small_config
from .world import build_world

LATER = dt.datetime(2026, 6, 1)  # the run's clock: every day of the tiny worlds is complete


def _ctx(cfg: VigilConfig, con: duckdb.DuckDBPyConnection, run_id: str) -> RunContext:
    return RunContext(cfg=cfg, con=con, run_id=run_id, report_dir=cfg.reports_dir, now=LATER)


def _table(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql("SELECT * EXCLUDE (run_id) FROM feature_risk ORDER BY feature_id").pl()


def test_empty_warehouse_is_skipped_with_a_reason(cfg: VigilConfig) -> None:
    summary = run_stage(_ctx(cfg, memory_warehouse(), "r0"))
    assert summary == {
        "status": "skipped",
        "reason": "fact_feature_daily is empty: nothing to score",
    }


def test_too_little_history_is_scored_by_the_rules_not_skipped(cfg: VigilConfig) -> None:
    con = memory_warehouse()
    build_world(con, n_features=3, days=20)
    summary = run_stage(_ctx(cfg, con, "r0"))
    assert summary["status"] == "ok" and summary["method"] == "rules"
    assert summary["why_rules"] == (
        "no champion model, and 13 days with a mature label are too few to train one (needs 28)"
    )
    rows = con.sql("SELECT model_version, score_date FROM feature_risk").fetchall()
    assert rows == [("rules-v1", dt.date(2026, 1, 20))] * 3


@pytest.fixture(scope="module")
def module_cfg(tmp_path_factory: pytest.TempPathFactory) -> VigilConfig:
    return small_config(tmp_path_factory.mktemp("risk-stage"))


@pytest.fixture(scope="module")
def scored(module_cfg: VigilConfig) -> Iterator[tuple[duckdb.DuckDBPyConnection, dict]]:  # type: ignore[type-arg]
    """One world scored once for the module; tests that rescore check relative changes."""
    con = memory_warehouse()
    build_world(con, days=90)
    yield con, run_stage(_ctx(module_cfg, con, "run-1"))
    con.close()


def test_first_run_trains_a_champion_and_scores_latest_day(scored, module_cfg: VigilConfig) -> None:  # type: ignore[no-untyped-def]
    _, summary = scored
    assert summary["status"] == "ok"
    assert summary["trained"] == "no champion model: trained and promoted v1"
    assert summary["rows_written"] == 8
    assert summary["score_dates"] == {"days": 1, "first": "2026-03-31", "last": "2026-03-31"}
    assert sum(summary["tiers"].values()) == 8
    metrics = json.loads((module_cfg.reports_dir / "metrics.json").read_text())
    assert set(metrics["feature_risk"]["models"]) == {
        "catboost",
        "logistic_regression",
        "random_forest",
        "naive_p95_slope_7d",
    }


def test_rerun_is_idempotent(scored, module_cfg: VigilConfig) -> None:  # type: ignore[no-untyped-def]
    con, _ = scored
    before = _table(con)
    summary = run_stage(_ctx(module_cfg, con, "run-2"))
    assert summary["trained"] is None
    assert summary["estimate_refreshed"] is True  # the champion's CBPE estimate, every run
    after = _table(con)
    assert after.equals(before)
    latest = "SELECT DISTINCT run_id FROM feature_risk WHERE score_date = DATE '2026-03-31'"
    assert con.execute(latest).fetchall() == [("run-2",)]


def test_affected_dates_are_rescored(scored, module_cfg: VigilConfig) -> None:  # type: ignore[no-untyped-def]
    con, _ = scored
    day = pl.date(2026, 3, 20)
    ctx = _ctx(module_cfg, con, "run-3")
    ctx.affected_dates = [pl.select(day).item()]
    summary = run_stage(ctx)
    assert summary["rows_written"] == 16
    assert summary["score_dates"] == {"days": 2, "first": "2026-03-20", "last": "2026-03-31"}
    count = con.execute(
        "SELECT count(*) FROM feature_risk WHERE score_date = ?", [ctx.affected_dates[0]]
    )
    assert count.fetchall() == [(8,)]


def test_rows_hold_the_stage_contract(scored, module_cfg: VigilConfig) -> None:  # type: ignore[no-untyped-def]
    con, _ = scored
    rows = _table(con)
    assert rows["risk"].is_between(0, 1).all()
    assert (rows["impact"] - rows["risk"] * rows["users_exposed"]).abs().max() < 1e-9
    tiers = module_cfg.risk.tiers
    for risk, tier in zip(rows["risk"], rows["tier"], strict=True):
        assert tier == (
            "act_now"
            if risk >= tiers.act_now
            else "investigate"
            if risk >= tiers.investigate
            else "watch"
        )
    for risk, factors in zip(rows["risk"], rows["top_factors"], strict=True):
        for factor in json.loads(factors):
            if factor["cited"]:
                assert (factor["contribution"] > 0) == (risk >= tiers.investigate)


def test_ranked_features_orders_by_impact(scored) -> None:  # type: ignore[no-untyped-def]
    con, _ = scored
    ranked = ranked_features(con)
    assert ranked.height == 8
    assert ranked["impact"].to_list() == sorted(ranked["impact"].to_list(), reverse=True)
    assert ranked["feature_name"].null_count() == 0
    assert ranked_features(con, pl.select(pl.date(2020, 1, 1)).item()).height == 0


def test_models_dir_holds_native_artifacts_only(scored, module_cfg: VigilConfig) -> None:  # type: ignore[no-untyped-def]
    names = {p.name for p in Path(module_cfg.models_dir).rglob("*") if p.is_file()}
    assert "model.cbm" in names and "calibrator.json" in names
    assert not any(n.endswith((".pkl", ".pickle", ".joblib")) for n in names)
