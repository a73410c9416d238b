"""`Workspace` is the library API: what a command prints is what the Python call returns."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import HEADER, event_rows
from typer.testing import CliRunner

from vigil import Workspace
from vigil.cli.main import app
from vigil.errors import ConfigError, WarehouseError

runner = CliRunner()
START = dt.date(2026, 3, 1)


@pytest.fixture
def config(make_workspace: Callable[..., Path]) -> Path:
    rows = [r for i in range(3) for r in event_rows(START + dt.timedelta(days=i), 5, "F1")]
    bad = "not-a-time,F1,100,false,u1,s1,0,"
    return make_workspace(telemetry={"days.csv": "\n".join([HEADER, *rows, bad]) + "\n"})


def _cli_json(*args: str) -> object:
    result = runner.invoke(app, [*args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_run_history_and_quarantine_match_the_cli(config: Path) -> None:
    ws = Workspace.open(config)
    result = ws.run()
    assert result.report["row_accounting"]["rows_loaded"] == 17  # 15 events + 2 features
    assert result.report["row_accounting"]["rows_quarantined"] == 1

    history = ws.history()
    assert [r["run_id"] for r in history] == [result.run_id]
    assert history[0]["status"] == result.status
    cli_history = _cli_json("history", "-c", str(config), "--json")
    assert [r["run_id"] for r in cli_history] == [result.run_id]  # type: ignore[union-attr]

    found = ws.quarantine()
    assert [(r["input"], r["n"]) for r in found["by_reason"]] == [("telemetry", 1)]
    assert found["rows"][0]["line"] == 17
    cli = _cli_json("quarantine", "-c", str(config), "--json")
    assert cli == json.loads(json.dumps(found, default=str))


def test_workspace_open_errors_are_vigil_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        Workspace.open(tmp_path / "missing.yaml")
    (tmp_path / "vigil.yaml").write_text("workspace: .vigil\n")
    with pytest.raises(WarehouseError, match="no warehouse at"):
        Workspace.open(tmp_path / "vigil.yaml").history()


def test_connect_is_closed_after_use(config: Path) -> None:
    ws = Workspace.open(config)
    ws.run()
    with ws.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM fact_feature_daily").fetchone() == (3,)
    with pytest.raises(Exception, match="closed"):
        con.execute("SELECT 1")
