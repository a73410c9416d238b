from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import load_config
from vigil.errors import ConfigError

runner = CliRunner()


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "vigil.yaml"
    path.write_text("inputs: {}\nqualty:\n  null_share_warn: 0.1\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == f"{path}: unknown key 'qualty'"
    assert err.value.key == "qualty"


def test_nested_unknown_key(tmp_path: Path) -> None:
    path = tmp_path / "vigil.yaml"
    path.write_text("risk:\n  horizon_dayz: 7\n")
    with pytest.raises(ConfigError, match=r"unknown key 'risk.horizon_dayz'"):
        load_config(path)


def test_bad_value_names_key(tmp_path: Path) -> None:
    path = tmp_path / "vigil.yaml"
    path.write_text("risk:\n  horizon_days: -3\n")
    with pytest.raises(ConfigError, match=r"bad value for 'risk.horizon_days'"):
        load_config(path)


def test_unknown_input_kind(tmp_path: Path) -> None:
    path = tmp_path / "vigil.yaml"
    path.write_text("inputs:\n  telemetri: {path: x.csv}\n")
    with pytest.raises(ConfigError, match=r"unknown key 'inputs.telemetri'"):
        load_config(path)


def test_cli_reports_config_error_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "vigil.yaml"
    path.write_text("inputs: {}\nbogus: 1\n")
    result = runner.invoke(app, ["run", "-c", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {path}: unknown key 'bogus'"


def test_missing_config_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    result = runner.invoke(app, ["run", "-c", str(path)])
    assert result.exit_code == 2
    assert "config file not found" in result.stderr


def test_paths_relative_to_config_folder(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "vigil.yaml"
    path.parent.mkdir()
    path.write_text("workspace: ws\ninputs:\n  telemetry: {path: data/t}\n")
    cfg = load_config(path)
    assert cfg.workspace_dir == (tmp_path / "sub" / "ws").resolve()
    assert cfg.input_path("telemetry") == (tmp_path / "sub" / "data" / "t").resolve()
