"""`vigil detect`: the output contract and every bad-input path (exit 2, one `Error:` line)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from vigil.cli.main import app

from .data import minutes, noisy

runner = CliRunner()


def write_series(path: Path, n: int = 300, shift_at: int | None = 200) -> Path:
    x = noisy(n, seed=4)
    if shift_at is not None:
        x[shift_at:] += 25
    ts = [str(t).replace("T", " ") for t in minutes(n)]
    pl.DataFrame({"when": ts, "reading": np.round(x, 3)}).write_csv(path)
    return path


def detect(*args: str):
    return runner.invoke(app, ["detect", *args])


def test_writes_one_scored_row_per_input_row(tmp_path: Path):
    src = write_series(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    result = detect(str(src), "--time-column", "when", "--value-column", "reading",
                    "--output", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    scored = pl.read_csv(out)
    assert scored.columns == ["timestamp", "value", "anomaly_score"]
    assert scored.height == 300
    assert scored["anomaly_score"].is_between(0.0, 1.0).all()
    assert scored["anomaly_score"][200:230].max() >= 0.5
    assert scored["value"].to_list() == pl.read_csv(src)["reading"].to_list()
    assert "Scored 300 rows" in result.output


def test_default_column_names_and_unsorted_input_keep_row_order(tmp_path: Path):
    src = tmp_path / "in.csv"
    src.write_text("timestamp,value\n2026-01-03,3\n2026-01-01,1\n2026-01-02,2\n")
    out = tmp_path / "out.csv"
    assert detect(str(src), "--output", str(out)).exit_code == 0
    assert pl.read_csv(out)["value"].to_list() == [3, 1, 2]


def error_of(result) -> str:
    return result.stderr.strip()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty (nothing to score)"),
        ("timestamp,value\n", "the file has a header but no rows (nothing to score)"),
        ("time,value\n2026-01-01,1\n", "missing columns: timestamp"),
        (
            "timestamp,value\n2026-01-01,1\n2026-01-02,abc\n",
            "1 value cell(s) could not be read, first 'abc' on line 3 (expected numbers)",
        ),
        (
            "timestamp,value\nsoon,1\n",
            "1 timestamp cell(s) could not be read, first 'soon' on line 2",
        ),
    ],
)
def test_bad_input_is_one_error_line_and_exit_2(tmp_path: Path, content: str, message: str):
    src = tmp_path / "in.csv"
    src.write_text(content)
    result = detect(str(src), "--output", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert error_of(result).startswith(f"Error: {src}: ")
    assert message in error_of(result)
    assert len(error_of(result).splitlines()) == 1
    assert not (tmp_path / "out.csv").exists()


def test_missing_file_is_exit_2(tmp_path: Path):
    result = detect(str(tmp_path / "nope.csv"), "--output", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert error_of(result) == f"Error: {tmp_path / 'nope.csv'}: file not found (check the path)"


def test_missing_output_option_is_a_usage_error(tmp_path: Path):
    result = detect(str(write_series(tmp_path / "in.csv")))
    assert result.exit_code == 2


def test_help_describes_the_command():
    result = detect("--help")
    assert result.exit_code == 0
    assert "causal" in result.output
