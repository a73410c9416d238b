"""The demo runs alerts in dry run: every alert is logged, none sent, and a later
`vigil alerts --dry-run` has nothing new to send (one problem, one alert)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.warehouse.connection import connect


def test_demo_logs_alerts_in_dry_run_and_dedups_them(demo_workspace: Path) -> None:
    config = demo_workspace / "vigil.yaml"
    with connect(demo_workspace / ".vigil" / "warehouse.duckdb", read_only=True) as con:
        logged = con.execute(
            "SELECT rule, action, destination, outcome, attempts FROM alert_log"
        ).fetchall()
        firing = con.execute("SELECT count(*) FROM alert_state WHERE status = 'firing'").fetchall()
    assert logged, "the demo world raises alerts"
    assert {(a, d, o, n) for _, a, d, o, n in logged} == {("trigger", None, "dry_run", 0)}
    assert {"act_now", "anomaly", "fleet"} <= {r for r, *_ in logged}
    result = CliRunner().invoke(app, ["alerts", "-c", str(config), "--dry-run", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["alerts"] == []
    assert payload["dry_run"] is True
    assert len(payload["firing"]) == len(logged) == firing[0][0]
    assert payload["summary"]["already_notified"] == len(logged)
