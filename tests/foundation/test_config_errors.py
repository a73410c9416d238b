"""Config and machine errors: one line on stderr and the documented exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app

runner = CliRunner()


def _history(config: Path):
    return runner.invoke(app, ["history", "-c", str(config)])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty (see 'vigil demo' for a complete example)"),
        ("# only a comment\n", "is empty (see 'vigil demo' for a complete example)"),
        ("workspace: a\nworkspace: b\n", "duplicate key 'workspace' (line 2)"),
        ("engine:\n  threads: 1\n  threads: 2\n", "duplicate key 'threads' (line 3)"),
        (
            "workspace: ../elsewhere\n",
            "workspace '../elsewhere' is outside the config's folder; "
            "set allow_external_workspace: true if that is intended",
        ),
    ],
)
def test_bad_config_is_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text(text, encoding="utf-8")
    result = _history(config)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {config}: {message}\n"


def test_external_workspace_when_allowed(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    folder.mkdir()
    config = folder / "vigil.yaml"
    config.write_text("workspace: ../ws\nallow_external_workspace: true\n", encoding="utf-8")
    from vigil.config import load_config

    assert load_config(config).workspace_dir == (tmp_path / "ws").resolve()


def test_directory_given_as_config(tmp_path: Path) -> None:
    result = _history(tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path}: is a directory, not a config file (pass the vigil.yaml)\n"
    )


def test_unreadable_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n")

    def denied(self: Path, *args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", denied)  # the suite runs as root, who reads anything
    result = _history(config)
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {config}: cannot be read: Permission denied\n",
    )


def test_os_error_from_the_machine_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n")

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / ".vigil" / "runs"))

    monkeypatch.setattr("vigil.pipeline.run_pipeline", full_disk)
    result = runner.invoke(app, ["run", "-c", str(config)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / '.vigil' / 'runs'}: No space left on device\n"


def test_foreign_exception_is_internal_error_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n")

    def bug(*args: object, **kwargs: object) -> None:
        raise KeyError("latency_ms")

    monkeypatch.setattr("vigil.pipeline.run_pipeline", bug)
    result = runner.invoke(app, ["run", "-c", str(config)])
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: internal error: KeyError: 'latency_ms' (rerun with --debug for details)\n"
    )
    assert "Traceback" not in result.output
