"""The gate never passes what it cannot score: every bad row or file is exit 2, named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import VigilConfig

from .patch_world import releases, trained_workspace, write_pending

runner = CliRunner()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VigilConfig]:
    cfg, con = trained_workspace(tmp_path_factory.mktemp("refusals"))
    con.close()
    yield cfg


def gate(cfg: VigilConfig, path: Path):
    return runner.invoke(app, ["gate", str(path), "-c", str(cfg.root / "vigil.yaml")])


def _with(tmp_path: Path, column: str, value: object) -> Path:
    rows = releases(3)
    rows[1][column] = value
    return write_pending(tmp_path / "pending.csv", rows)


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("lines_added", "", "'' is empty (the gate does not pass what it cannot score)"),
        ("code_churn", "nan", "'nan' is empty (the gate does not pass what it cannot score)"),
        ("patch_size_mb", "-3", "'-3' must not be negative"),
        ("files_changed", "inf", "'inf' is not a finite number"),
        ("patch_type", "refactor", "'refactor' is not one of bugfix, feature, security, hotfix"),
        ("patch_type", "", "'' is not one of bugfix, feature, security, hotfix"),
    ],
)
def test_unscorable_value_is_refused_with_row_and_column(
    workspace: VigilConfig, tmp_path: Path, column: str, value: object, problem: str
) -> None:
    path = _with(tmp_path, column, value)
    result = gate(workspace, path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"Error: {path}: row 2 (line 3), column '{column}': {problem}"


def test_short_and_long_rows_are_refused(workspace: VigilConfig, tmp_path: Path) -> None:
    good = write_pending(tmp_path / "good.csv", releases(2)).read_text().splitlines()
    n = len(good[0].split(","))
    short = tmp_path / "short.csv"
    short.write_text("\n".join([good[0], good[1], ",".join(good[2].split(",")[:-2])]) + "\n")
    long = tmp_path / "long.csv"
    long.write_text("\n".join([good[0], good[1] + ",extra", good[2]]) + "\n")
    result = gate(workspace, short)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {short}: row 2 (line 3) has {n - 2} fields, the header has {n}"
    )
    result = gate(workspace, long)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {long}: row 1 (line 2) has {n + 1} fields, the header has {n}"
    )


def test_binary_and_undecodable_files_are_one_line(workspace: VigilConfig, tmp_path: Path) -> None:
    binary = tmp_path / "model.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("patch_id,patch_type\nfw-1,f\xe9ature\n".encode("latin-1"))
    result = gate(workspace, binary)
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        f"Error: {binary}: is a binary file, not a CSV of pending patches",
    )
    result = gate(workspace, latin)
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        f"Error: {latin}: is not UTF-8 text (byte 26); expected a CSV of pending patches",
    )


def test_directory_as_patches_file(workspace: VigilConfig, tmp_path: Path) -> None:
    result = gate(workspace, tmp_path)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {tmp_path}: file not found (pass the CSV of pending patches)"
    )


def test_model_files_are_bound_to_the_registry_table(tmp_path: Path) -> None:
    """Replacing the model folder wholesale (files, manifest, mirror) is caught by the table."""
    cfg, con = trained_workspace(tmp_path / "ws", n=24)
    con.execute("UPDATE model_registry SET checksum = 'f00d' || checksum")
    con.close()
    pending = write_pending(tmp_path / "pending.csv", releases(2))
    result = gate(cfg, pending)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(
        "Error: patch_risk v1 in the model folder does not match the registry's champion v1"
    )


def test_bound_model_still_scores(workspace: VigilConfig, tmp_path: Path) -> None:
    con = duckdb.connect(str(workspace.warehouse_path), read_only=True)
    n = con.execute("SELECT count(*) FROM model_registry").fetchone()
    con.close()
    assert n == (1,)
    result = gate(workspace, write_pending(tmp_path / "p.csv", releases(2)))
    assert result.exit_code in (0, 1)
    assert json.loads(result.stdout)["n_patches"] == 2
