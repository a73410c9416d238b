"""Every command has help text, and `--help` works for each."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from vigil.cli.main import app

runner = CliRunner()


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        found.append(path)
        if hasattr(cmd, "commands"):
            found.extend(_commands(cmd, path))
    return found


ROOT: Any = typer.main.get_command(app)
COMMANDS = _commands(ROOT)


def test_core_commands_exist() -> None:
    names = {c[0] for c in COMMANDS}
    assert {"run", "history", "demo", "generate", "quarantine"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    cmd = ROOT
    for part in path:
        cmd = cmd.commands[part]
    assert (cmd.help or "").strip(), f"vigil {' '.join(path)} has no help text"
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


def test_unknown_command_is_usage_error() -> None:
    result = runner.invoke(app, ["frobnicate"])
    assert result.exit_code == 2
