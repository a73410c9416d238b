"""QA prioritisation: order by risk per line, budget buckets, metrics beside smallest-first."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.errors import InputError
from vigil.patches.qa import prioritise

runner = CliRunner()

# Efforts sum to 1000 lines. risk / effort: p1 .9/50, p2 .2/10, p3 .6/140, p4 .5/300, p5 .1/500.
PATCHES = pl.DataFrame(
    {
        "firmware_version": ["p1", "p2", "p3", "p4", "p5"],
        "lines_added": [40, 10, 100, 250, 400],
        "lines_deleted": [10, 0, 40, 50, 100],
        "risk": [0.9, 0.2, 0.6, 0.5, 0.1],
    }
)


def test_order_is_risk_per_line_of_effort() -> None:
    ranked = prioritise(PATCHES)
    assert ranked["firmware_version"].to_list() == ["p2", "p1", "p3", "p4", "p5"]
    assert ranked["qa_rank"].to_list() == [1, 2, 3, 4, 5]
    assert ranked["effort"].to_list() == [10, 50, 140, 300, 500]


def test_buckets_follow_the_effort_budget() -> None:
    ranked = prioritise(PATCHES)
    # Cumulative effort share: .01, .06, .20, .50, 1.0.
    assert ranked["cumulative_effort_share"].to_list() == pytest.approx([0.01, 0.06, 0.2, 0.5, 1.0])
    assert ranked["bucket"].to_list() == ["critical", "critical", "high", "medium", "low"]


def test_configured_effort_column_is_used() -> None:
    frame = PATCHES.with_columns(qa_hours=pl.Series([8.0, 1.0, 1.0, 1.0, 1.0]))
    ranked = prioritise(frame, effort_column="qa_hours")
    assert ranked["firmware_version"].to_list() == ["p3", "p4", "p2", "p1", "p5"]


def test_risk_outside_zero_one_is_rejected() -> None:
    with pytest.raises(InputError, match="column 'risk' must hold risks between 0 and 1"):
        prioritise(PATCHES.with_columns(risk=pl.lit(1.5)))


def test_cli_json_reports_metrics_beside_smallest_first(tmp_path: Path) -> None:
    path = tmp_path / "patches.csv"
    PATCHES.with_columns(regression=pl.Series([1, 0, 1, 0, 0])).write_csv(path)
    out = runner.invoke(app, ["qa", str(path), "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert [p["firmware_version"] for p in payload["patches"]] == ["p2", "p1", "p3", "p4", "p5"]
    metrics = payload["metrics"]
    assert metrics["label_column"] == "regression"
    # QA order finds p1 (effort share .06) and p3 (.20): both defects within 20% of the effort.
    assert metrics["qa_order"]["recall_at_20_effort"] == 1.0
    # Smallest first (p2, p1, p3, ...) finds the same two within the budget.
    assert metrics["smallest_change_first"]["recall_at_20_effort"] == 1.0
    assert metrics["qa_order"]["effort_at_20_recall"] == pytest.approx(0.06)


def test_cli_without_risk_or_config_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "patches.csv"
    PATCHES.drop("risk").write_csv(path)
    out = runner.invoke(app, ["qa", str(path)])
    assert out.exit_code == 2
    assert out.stderr.strip() == (
        "Error: no 'risk' column and no config to find the patch model "
        "(add the column or pass -c vigil.yaml)"
    )


def test_cli_missing_effort_columns_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "patches.csv"
    PATCHES.drop("lines_deleted").write_csv(path)
    out = runner.invoke(app, ["qa", str(path)])
    assert out.exit_code == 2
    assert out.stderr.strip() == (
        f"Error: {path}: missing columns: lines_deleted (QA effort; or pass --effort-column)"
    )


def test_cli_without_risk_uses_the_patch_model(tmp_path: Path) -> None:
    (tmp_path / "vigil.yaml").write_text("workspace: .vigil\n", encoding="utf-8")
    path = tmp_path / "patches.csv"
    PATCHES.drop("risk").write_csv(path)
    out = runner.invoke(app, ["qa", str(path), "-c", str(tmp_path / "vigil.yaml")])
    # No model has been trained in this workspace: the scorer's ModelError, exit 2.
    assert out.exit_code == 2
    assert out.stderr.startswith("Error: no trained patch model")
