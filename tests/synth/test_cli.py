"""`vigil generate`: exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from vigil.cli.main import app

runner = CliRunner()
SMALL = ["--days", "7", "--features", "3", "--events-per-day", "20", "--devices", "10"]


def test_generate_writes_a_world(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "--out", str(tmp_path), *SMALL])
    assert result.exit_code == 0, result.output
    assert "Synthetic world" in result.stdout
    assert (tmp_path / "data" / "releases.csv").exists()
    assert (tmp_path / "truth" / "regressions.csv").exists()


def test_generate_json_summary(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["generate", "--out", str(tmp_path), "--seed", "5", "--json", *SMALL]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["seed"] == 5 and summary["features"] == 3 and summary["devices"] == 10
    assert summary["end_date"] == "2026-01-07"


def test_out_of_range_value_is_exit_2_with_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "--out", str(tmp_path), "--days", "3"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: bad value for 'days': Input should be greater than or equal to 7\n"
    )
    assert not (tmp_path / "data").exists()


def test_non_integer_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "--out", str(tmp_path), "--days", "abc"])
    assert result.exit_code == 2
    assert "Invalid value for '--days'" in result.stderr


def test_missing_out_is_a_usage_error() -> None:
    result = runner.invoke(app, ["generate", "--days", "7"])
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.stderr


def test_out_pointing_at_a_file_is_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    result = runner.invoke(app, ["generate", "--out", str(target), *SMALL])
    assert result.exit_code == 2
    assert (
        result.stderr == f"Error: {target}: the output path is a file; pass a folder with --out\n"
    )


def test_help_text() -> None:
    result = runner.invoke(app, ["generate", "--help"])
    assert result.exit_code == 0
    assert "--events-per-day" in result.stdout and "synthetic product world" in result.stdout
