"""`vigil patches evaluate`: one JSON object with model and baselines; bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from vigil.cli.main import app

from .changes import make_changes, write_changes

runner = CliRunner()
METRICS = {"auc", "pr_auc", "recall_at_20_effort", "effort_at_20_recall", "popt"}


def evaluate(path: Path, *extra: str) -> object:
    return runner.invoke(app, ["patches", "evaluate", "--data", str(path), *extra, "--json"])


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    path = write_changes(tmp_path_factory.mktemp("jit") / "changes.csv")
    out = evaluate(path)
    assert out.exit_code == 0, out.output  # type: ignore[attr-defined]
    return json.loads(out.stdout)  # type: ignore[attr-defined]


def test_json_has_model_and_every_baseline(result: dict) -> None:
    for name in ("model", "lr_all_columns", "la_alone", "smallest_change_first"):
        assert set(result[name]) == METRICS
        assert all(0.0 <= v <= 1.0 for v in result[name].values())
    assert result["dropped_columns"] == {
        "": "id-like name",
        "_id": "id-like name",
        "__": "duplicates the label",
    }


def test_split_in_output_is_time_ordered(result: dict) -> None:
    split = result["split"]
    assert split["max_train_time"] < split["min_test_time"]
    assert split["train_rows"] + split["test_rows"] == 240


def test_model_learns_the_signal(result: dict) -> None:
    # Defects depend on la and exp; the model must rank clearly better than chance.
    assert result["model"]["auc"] > 0.6


def test_missing_file(tmp_path: Path) -> None:
    out = evaluate(tmp_path / "nope.csv")
    assert out.exit_code == 2  # type: ignore[attr-defined]
    assert out.stderr.strip() == (  # type: ignore[attr-defined]
        f"Error: {tmp_path / 'nope.csv'}: file not found (pass a change-level CSV with --data)"
    )


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = write_changes(tmp_path / "c.csv", make_changes().drop("bug", "ld"))
    out = evaluate(path)
    assert out.exit_code == 2  # type: ignore[attr-defined]
    assert out.stderr.strip() == (  # type: ignore[attr-defined]
        f"Error: {path}: missing columns: bug, ld (label, time and effort columns)"
    )


def test_non_numeric_value_names_row_and_column(tmp_path: Path) -> None:
    frame = make_changes().with_columns(pl.col("nf").cast(pl.String))
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 4)
        .then(pl.lit("many"))
        .otherwise(pl.col("nf"))
        .alias("nf")
    )
    path = write_changes(tmp_path / "c.csv", frame)
    out = evaluate(path)
    assert out.exit_code == 2  # type: ignore[attr-defined]
    assert out.stderr.strip() == (  # type: ignore[attr-defined]
        f"Error: {path}: row 5, column 'nf': 'many' is not a number "
        "(fix the value or drop the column)"
    )


def test_label_must_be_zero_or_one(tmp_path: Path) -> None:
    frame = make_changes().with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(2).otherwise(pl.col("bug")).alias("bug")
    )
    path = write_changes(tmp_path / "c.csv", frame)
    out = evaluate(path)
    assert out.exit_code == 2  # type: ignore[attr-defined]
    assert out.stderr.strip() == (  # type: ignore[attr-defined]
        f"Error: {path}: row 3, column 'bug': label must be 0 or 1, got '2'"
    )


@pytest.mark.parametrize("command", [["patches", "evaluate"], ["qa"], ["fleet"]])
def test_commands_have_help(command: list[str]) -> None:
    out = runner.invoke(app, [*command, "--help"])
    assert out.exit_code == 0
    assert "Usage:" in out.stdout
    assert len(out.stdout.split("Usage:")[1]) > 80  # a description and options, not a bare stub


def test_gap_days_must_not_be_negative(tmp_path: Path) -> None:
    path = write_changes(tmp_path / "c.csv")
    out = evaluate(path, "--gap-days", "-1")
    assert out.exit_code == 2  # type: ignore[attr-defined]
    assert out.stderr.strip() == "Error: --gap-days must not be negative, got -1"  # type: ignore[attr-defined]
