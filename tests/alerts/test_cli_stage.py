"""`vigil alerts` (exit codes, --dry-run --json) and the pipeline stage (never fails the run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from vigil.alerts.stage import run_stage
from vigil.cli.main import app
from vigil.config import load_config
from vigil.context import RunContext
from vigil.warehouse.connection import connect

from .conftest import NOW, Receiver, seed_warehouse

HOOK = {"name": "hook", "kind": "webhook", "url_env": "VIGIL_TEST_HOOK"}


def workspace(tmp_path: Path, alerts: dict[str, object]) -> Path:
    """vigil.yaml pinned to NOW, and a warehouse with the seed rows."""
    doc = {"workspace": ".vigil", "as_of": NOW.isoformat(), "alerts": alerts}
    config = tmp_path / "vigil.yaml"
    config.write_text(yaml.safe_dump(doc), encoding="utf-8")
    con = connect(tmp_path / ".vigil" / "warehouse.duckdb")
    try:
        seed_warehouse(con)
    finally:
        con.close()
    return config


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["alerts", "-c", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def test_dry_run_json_lists_what_would_be_sent(tmp_path: Path) -> None:
    config = workspace(tmp_path, {"destinations": [HOOK]})
    code, out, _ = invoke(config, "--dry-run", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["dry_run"] is True
    assert payload["alerts"][2] == {
        "rule": "drift",
        "subject": "dataset",
        "severity": "warning",
        "dedup_key": "vigil:drift:dataset",
        "message": "Dataset drift: 6 of 10 columns drifted",
        "action": "trigger",
        "dry_run": False,
    }
    assert [a["rule"] for a in payload["alerts"]] == ["act_now", "anomaly", "drift", "fleet"]
    assert payload["summary"]["below_minimum_sample"] == 2
    with connect(tmp_path / ".vigil" / "warehouse.duckdb", read_only=True) as con:
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert "alert_log" not in tables  # a dry run records nothing


def test_missing_environment_variable_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIGIL_TEST_HOOK", raising=False)
    config = workspace(tmp_path, {"destinations": [HOOK]})
    code, _, err = invoke(config)
    assert code == 2
    assert err.strip() == (
        f"Error: {config}: environment variables not set: VIGIL_TEST_HOOK "
        "(alerts.destinations name them; set them, or use --dry-run)"
    )


def test_a_url_in_the_config_is_refused(tmp_path: Path) -> None:
    bad = {"name": "hook", "kind": "webhook", "url_env": "https://example.com/hook"}
    config = workspace(tmp_path, {"destinations": [bad]})
    code, _, err = invoke(config, "--dry-run")
    assert code == 2
    assert "alerts.destinations.0.url_env" in err
    assert "must name an environment variable" in err


def test_unknown_rule_key_is_exit_2(tmp_path: Path) -> None:
    config = workspace(tmp_path, {"rules": {"anomaly": {"min_user": 5}}})
    code, _, err = invoke(config, "--dry-run")
    assert code == 2
    assert err.strip() == f"Error: {config}: unknown key 'alerts.rules.anomaly.min_user'"


def test_a_failed_delivery_still_exits_0_and_is_recorded(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIGIL_TEST_HOOK", receiver.url + "/hook")
    receiver.script["/hook"] = [400] * 4
    config = workspace(tmp_path, {"destinations": [HOOK]})
    code, out, _ = invoke(config, "--json")
    assert code == 0
    assert json.loads(out)["summary"]["failed"] == 4
    with connect(tmp_path / ".vigil" / "warehouse.duckdb", read_only=True) as con:
        outcomes = con.execute("SELECT outcome, count(*) FROM alert_log GROUP BY 1").fetchall()
    assert outcomes == [("failed", 4)]


def test_stage_records_dry_run_alerts_and_never_fails(tmp_path: Path) -> None:
    config = workspace(
        tmp_path, {"dry_run": True, "destinations": [HOOK], "rules": {"fleet": {"enabled": False}}}
    )
    cfg = load_config(config)
    with connect(cfg.warehouse_path) as con:
        ctx = RunContext(cfg=cfg, con=con, run_id="run-1", report_dir=tmp_path, now=NOW)
        summary = run_stage(ctx)
        logged = con.execute(
            "SELECT run_id, rule, destination, outcome FROM alert_log ORDER BY rule"
        ).fetchall()
    assert summary["status"] == "ok"
    assert (summary["firing"], summary["triggered"], summary["failed"]) == (3, 3, 0)
    assert summary["not_evaluated"] == {
        "gate": "no pending patches file",
        "fleet": "disabled",
    }
    assert logged == [
        ("run-1", "act_now", "hook", "dry_run"),
        ("run-1", "anomaly", "hook", "dry_run"),
        ("run-1", "drift", "hook", "dry_run"),
    ]


def test_stage_is_skipped_when_alerts_are_off(tmp_path: Path) -> None:
    cfg = load_config(workspace(tmp_path, {"enabled": False}))
    with connect(cfg.warehouse_path) as con:
        ctx = RunContext(cfg=cfg, con=con, run_id="r", report_dir=tmp_path, now=NOW)
        assert run_stage(ctx) == {"status": "skipped", "reason": "alerts.enabled is false"}


def test_stage_with_a_failing_destination_is_ok_and_records_the_failure(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIGIL_TEST_HOOK", receiver.url + "/hook")
    receiver.script["/hook"] = [500] * 8
    alerts = {"destinations": [HOOK], "delivery": {"max_attempts": 2, "backoff_seconds": 0.0}}
    cfg = load_config(workspace(tmp_path, alerts))
    with connect(cfg.warehouse_path) as con:
        ctx = RunContext(cfg=cfg, con=con, run_id="r", report_dir=tmp_path, now=NOW)
        summary = run_stage(ctx)
        attempts = con.execute(
            "SELECT attempts, outcome, error FROM alert_log ORDER BY attempts DESC"
        ).fetchall()
    assert (summary["status"], summary["triggered"], summary["failed"]) == ("ok", 4, 4)
    skipped = (0, "failed", "not tried: the destination failed earlier in this run")
    assert attempts == [(2, "failed", "HTTP 500 Internal Server Error")] + [skipped] * 3
    assert len(receiver.bodies("/hook")) == 2  # a dead endpoint costs one alert's retries


def test_human_output_names_what_would_be_sent(tmp_path: Path) -> None:
    config = workspace(
        tmp_path, {"rules": {name: {"enabled": False} for name in ("act_now", "anomaly", "fleet")}}
    )
    code, out, _ = invoke(config, "--dry-run")
    assert code == 0
    assert "Would send" in out
    assert "Dataset drift:" in out  # the table wraps the rest of the sentence
