"""The attention stage stores the day's list; `vigil attention` prints it within the budget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.attention.stage import run_stage
from vigil.cli.main import app
from vigil.config import load_config
from vigil.context import RunContext
from vigil.dashboard.sample import build_sample_warehouse
from vigil.warehouse.connection import connect


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A config with budget 2 over the dashboard's sample warehouse (3 candidates)."""
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\nattention:\n  budget: 2\n", encoding="utf-8")
    con = connect(tmp_path / ".vigil" / "warehouse.duckdb")
    try:
        build_sample_warehouse(con, n_features=8, days=40, report_dir=tmp_path / ".vigil" / "runs")
    finally:
        con.close()
    return config


def _stage(config: Path, run_id: str) -> dict[str, object]:
    cfg = load_config(config)
    con = connect(cfg.warehouse_path)
    try:
        ctx = RunContext(cfg=cfg, con=con, run_id=run_id, report_dir=cfg.runs_dir)
        return run_stage(ctx)
    finally:
        con.close()


def _rows(config: Path) -> list[tuple[object, ...]]:
    con = connect(load_config(config).warehouse_path, read_only=True)
    try:
        return con.execute(
            "SELECT as_of_date, rank, item_key, in_budget, run_id FROM attention_item ORDER BY rank"
        ).fetchall()
    finally:
        con.close()


def test_stage_stores_every_candidate_and_marks_the_budget(workspace: Path) -> None:
    summary = _stage(workspace, "run-1")
    assert (summary["status"], summary["candidates"], summary["shown"]) == ("ok", 3, 2)
    rows = _rows(workspace)
    assert [(r[2], r[3]) for r in rows] == [
        ("f000", True),
        ("f001", True),
        ("firmware:3.3.0", False),
    ]
    assert {str(r[0]) for r in rows} == {"2026-04-30"}


def test_stage_rerun_replaces_the_day(workspace: Path) -> None:
    _stage(workspace, "run-1")
    _stage(workspace, "run-2")
    rows = _rows(workspace)
    assert len(rows) == 3
    assert {r[4] for r in rows} == {"run-2"}


def test_cli_json_lists_the_budget_and_counts_the_rest(workspace: Path) -> None:
    _stage(workspace, "run-1")
    result = CliRunner().invoke(app, ["attention", "-c", str(workspace), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["budget"], payload["not_shown"]) == (2, 1)
    assert [i["item_key"] for i in payload["items"]] == ["f000", "f001"]
    assert payload["items"][1]["signals"] == "risk;crossing;anomaly"


def test_cli_table_and_all(workspace: Path) -> None:
    result = CliRunner().invoke(app, ["attention", "-c", str(workspace), "--all"])
    assert result.exit_code == 0, result.output
    assert "What needs attention" in result.stdout
    assert "firmware 3.3.0" in result.stdout
    assert "lower-priority" not in result.stdout


def test_cli_without_warehouse_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["attention", "-c", str(config)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")


def test_budget_must_be_positive(tmp_path: Path) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("attention:\n  budget: 0\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["attention", "-c", str(config)])
    assert result.exit_code == 2
    assert "bad value for 'attention.budget'" in result.stderr
