"""`vigil registry list / promote / rollback` through the CLI runner."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import load_config
from vigil.registry import ModelRegistry
from vigil.warehouse.connection import open_warehouse

runner = CliRunner()


def workspace(tmp_path: Path, versions: int) -> Path:
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n")
    cfg = load_config(config)
    with open_warehouse(cfg.warehouse_path) as con:
        registry = ModelRegistry(con, cfg.models_dir)
        for i in range(versions):
            folder = tmp_path / f"art{i}"
            folder.mkdir()
            (folder / "model.json").write_text(str(i))
            registry.register(
                "m",
                folder,
                metrics={"roc_auc": 0.5 + i / 10},
                features=["x"],
                train_start=None,
                train_end=None,
            )
        registry.set_alias("m", "champion", 1, "first")
    return config


def test_promote_then_rollback(tmp_path: Path) -> None:
    config = workspace(tmp_path, 2)
    promoted = runner.invoke(app, ["registry", "promote", "m", "2", "-c", str(config)])
    assert promoted.exit_code == 0, promoted.output
    assert promoted.stdout.strip() == "m: champion -> v2"
    listed = runner.invoke(app, ["registry", "list", "-c", str(config)])
    assert listed.exit_code == 0
    assert "champion" in listed.stdout and "0.600" in listed.stdout
    back = runner.invoke(app, ["registry", "rollback", "m", "-c", str(config)])
    assert back.exit_code == 0
    assert back.stdout.strip() == "m: champion -> v1 (rolled back)"


def test_rollback_without_previous_champion_is_exit_2(tmp_path: Path) -> None:
    config = workspace(tmp_path, 1)
    result = runner.invoke(app, ["registry", "rollback", "m", "-c", str(config)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: m has no previous champion to roll back to"


def test_promote_unknown_version_is_exit_2(tmp_path: Path) -> None:
    config = workspace(tmp_path, 1)
    result = runner.invoke(app, ["registry", "promote", "m", "5", "-c", str(config)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: m has no version 5 (see 'vigil registry list')"
