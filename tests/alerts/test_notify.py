"""End to end against a real local HTTP server: exact payloads, dedup, cooldown, resolve,
retry on 500, no retry on 400, the minimum sample, per-rule dry run, and alert_log."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import duckdb

from vigil.alerts.delivery import Poster
from vigil.alerts.notify import AlertRun, run_alerts
from vigil.config import VigilConfig

from .conftest import NOW, Receiver, add_anomaly

ACT_NOW_MESSAGE = (
    "Checkout is in the act-now tier: risk 82%, #1 on the attention list of 2026-03-10 "
    "(crash rate up; 400 daily users, 6,300 events in 7 days)"
)
FLEET_KEY = "vigil:fleet:hub-1 on 3.2.1, 2y+"
FLEET_MESSAGE = (
    "40 hub-1 devices aged 2y+ on firmware 3.2.1 run at 3.2x the fleet's risk "
    "(12.5 errors per 10k device-days)"
)


def make_config(tmp_path: Path, **alerts: Any) -> VigilConfig:
    destinations = [
        {"name": "team", "kind": "slack", "url_env": "T_SLACK"},
        {
            "name": "oncall",
            "kind": "pagerduty",
            "url_env": "T_PD_URL",
            "routing_key_env": "T_PD_KEY",
            "min_severity": "error",
        },
        {"name": "hook", "kind": "webhook", "url_env": "T_HOOK"},
    ]
    doc = {"root": tmp_path, "alerts": {"destinations": destinations, **alerts}}
    return VigilConfig.model_validate(doc)


def env(receiver: Receiver) -> dict[str, str]:
    return {
        "T_SLACK": receiver.url + "/slack",
        "T_PD_URL": receiver.url + "/pd",
        "T_PD_KEY": "rk-123",
        "T_HOOK": receiver.url + "/hook",
    }


def run(
    con: duckdb.DuckDBPyConnection,
    cfg: VigilConfig,
    receiver: Receiver,
    now: dt.datetime = NOW,
    sleeps: list[float] | None = None,
) -> AlertRun:
    sleep = (sleeps if sleeps is not None else []).append
    poster = Poster(cfg.alerts.delivery, sleep=sleep, rng=random.Random(1))
    return run_alerts(con, cfg, now, run_id="r", poster=poster, env=env(receiver))


def log_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute(
        "SELECT dedup_key, action, destination, attempts, outcome, status_code "
        "FROM alert_log ORDER BY evaluated_at, dedup_key, destination NULLS FIRST"
    ).fetchall()


def test_first_run_sends_each_problem_once_with_exact_payloads(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, receiver: Receiver
) -> None:
    cfg = make_config(tmp_path)
    first = run(warehouse, cfg, receiver)
    assert [e["dedup_key"] for e in first.entries()] == [
        "vigil:act_now:F1",
        "vigil:anomaly:F1",
        "vigil:drift:dataset",
        FLEET_KEY,
    ]
    assert first.summary()["below_minimum_sample"] == 2  # Tiny: 3 users a day, act now + anomaly
    assert receiver.bodies("/pd") == [
        {
            "routing_key": "rk-123",
            "event_action": "trigger",
            "dedup_key": "vigil:act_now:F1",
            "payload": {
                "summary": ACT_NOW_MESSAGE,
                "source": "vigil",
                "severity": "critical",
                "timestamp": "2026-03-11T12:00:00+00:00",
                "component": "F1",
                "group": "act_now",
                "class": "act_now",
                "custom_details": {"risk": 0.82, "rank": 1, "as_of_date": "2026-03-10"},
            },
            "client": "Vigil",
        },
        {
            "routing_key": "rk-123",
            "event_action": "trigger",
            "dedup_key": FLEET_KEY,
            "payload": {
                "summary": FLEET_MESSAGE,
                "source": "vigil",
                "severity": "error",
                "timestamp": "2026-03-11T12:00:00+00:00",
                "component": "hub-1 on 3.2.1, 2y+",
                "group": "fleet",
                "class": "fleet",
                "custom_details": {"weighted_risk": 3.25, "devices": 40},
            },
            "client": "Vigil",
        },
    ]
    assert [b["dedup_key"] for b in receiver.bodies("/hook")] == [
        "vigil:act_now:F1",
        "vigil:anomaly:F1",
        "vigil:drift:dataset",
        FLEET_KEY,
    ]
    assert receiver.bodies("/hook")[2]["message"] == "Dataset drift: 6 of 10 columns drifted"
    assert len(receiver.bodies("/slack")) == 4
    assert len(log_rows(warehouse)) == 10  # 4 x slack + 4 x hook + 2 x pagerduty
    assert set(r[4] for r in log_rows(warehouse)) == {"delivered"}


def test_second_run_sends_nothing_new(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, receiver: Receiver
) -> None:
    cfg = make_config(tmp_path)
    run(warehouse, cfg, receiver)
    sent = len(receiver.requests)
    again = run(warehouse, cfg, receiver, NOW + dt.timedelta(days=3))
    assert len(receiver.requests) == sent
    assert again.entries() == []
    assert again.summary()["already_notified"] == 4


def test_resolve_then_cooldown_hold_then_refire(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, receiver: Receiver
) -> None:
    cfg = make_config(tmp_path, cooldown_hours=24)
    run(warehouse, cfg, receiver)
    warehouse.execute("UPDATE fleet_risk SET tier = 'enhanced' WHERE device_model = 'hub-1'")
    receiver.requests.clear()
    cleared = run(warehouse, cfg, receiver, NOW + dt.timedelta(hours=1))
    assert [(e["action"], e["dedup_key"]) for e in cleared.entries()] == [("resolve", FLEET_KEY)]
    assert receiver.bodies("/pd") == [
        {"routing_key": "rk-123", "event_action": "resolve", "dedup_key": FLEET_KEY}
    ]
    assert receiver.bodies("/slack")[0]["blocks"][0]["text"]["text"].startswith(
        ":white_check_mark: Resolved: Fleet segment"
    )

    warehouse.execute("UPDATE fleet_risk SET tier = 'immediate' WHERE device_model = 'hub-1'")
    receiver.requests.clear()
    flapped = run(warehouse, cfg, receiver, NOW + dt.timedelta(hours=2))
    assert receiver.requests == []
    assert flapped.summary()["held"] == 1
    held = warehouse.execute(
        "SELECT action, destination, outcome FROM alert_log WHERE outcome = 'held'"
    ).fetchall()
    assert held == [("trigger", None, "held")]

    later = run(warehouse, cfg, receiver, NOW + dt.timedelta(hours=25))
    assert [(e["action"], e["dedup_key"]) for e in later.entries()] == [("trigger", FLEET_KEY)]
    assert [b["event_action"] for b in receiver.bodies("/pd")] == ["trigger"]


def test_anomaly_resolves_when_no_anomaly_is_left_in_the_lookback(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, receiver: Receiver
) -> None:
    cfg = make_config(tmp_path)
    run(warehouse, cfg, receiver)
    warehouse.execute("DELETE FROM feature_anomaly")
    add_anomaly(warehouse, "F1", dt.date(2026, 3, 1))  # outside the 3-day look-back
    receiver.requests.clear()
    cleared = run(warehouse, cfg, receiver, NOW + dt.timedelta(days=1))
    assert [(e["action"], e["dedup_key"]) for e in cleared.entries()] == [
        ("resolve", "vigil:anomaly:F1")
    ]
    assert [b["action"] for b in receiver.bodies("/hook")] == ["resolve"]
    assert receiver.bodies("/pd") == []  # a warning never went to PagerDuty (min_severity error)


def test_retry_on_500_and_no_retry_on_400_are_logged(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, receiver: Receiver
) -> None:
    cfg = make_config(tmp_path, delivery={"max_attempts": 3, "backoff_seconds": 2.0})
    receiver.script["/pd"] = [500]
    receiver.script["/slack"] = [400]
    sleeps: list[float] = []
    first = run(warehouse, cfg, receiver, sleeps=sleeps)
    rows = [r for r in log_rows(warehouse) if r[0] == "vigil:act_now:F1"]
    assert rows == [
        ("vigil:act_now:F1", "trigger", "hook", 1, "delivered", 202),
        ("vigil:act_now:F1", "trigger", "oncall", 2, "delivered", 202),
        ("vigil:act_now:F1", "trigger", "team", 1, "failed", 400),
    ]
    assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 2.0
    assert first.summary()["failed"] == 1
    error = warehouse.execute("SELECT error FROM alert_log WHERE outcome = 'failed'").fetchone()
    assert error == ("HTTP 400 Bad Request",)


def test_an_alert_no_destination_took_is_sent_again_next_run(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, receiver: Receiver
) -> None:
    doc = {
        "root": tmp_path,
        "alerts": {
            "destinations": [{"name": "hook", "kind": "webhook", "url_env": "T_HOOK"}],
            "rules": {name: {"enabled": False} for name in ("act_now", "anomaly", "fleet")},
        },
    }
    cfg = VigilConfig.model_validate(doc)
    receiver.script["/hook"] = [400]
    run(warehouse, cfg, receiver)
    state = warehouse.execute("SELECT status, notified FROM alert_state").fetchall()
    assert state == [("firing", None)]
    retried = run(warehouse, cfg, receiver, NOW + dt.timedelta(hours=1))
    assert [e["dedup_key"] for e in retried.entries()] == ["vigil:drift:dataset"]
    assert [r[4] for r in log_rows(warehouse)] == ["failed", "delivered"]
    assert warehouse.execute("SELECT notified FROM alert_state").fetchall() == [("sent",)]


def test_a_dry_run_rule_is_logged_not_sent(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, receiver: Receiver
) -> None:
    cfg = make_config(tmp_path, rules={"drift": {"dry_run": True}})
    run(warehouse, cfg, receiver)
    assert "vigil:drift:dataset" not in [b["dedup_key"] for b in receiver.bodies("/hook")]
    drift = [r for r in log_rows(warehouse) if r[0] == "vigil:drift:dataset"]
    assert drift == [
        ("vigil:drift:dataset", "trigger", "hook", 0, "dry_run", None),
        ("vigil:drift:dataset", "trigger", "team", 0, "dry_run", None),
    ]


def test_preview_writes_nothing(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, receiver: Receiver
) -> None:
    cfg = make_config(tmp_path)
    preview = run_alerts(warehouse, cfg, NOW, preview=True, env=env(receiver))
    assert len(preview.entries()) == 4
    assert receiver.requests == []
    tables = warehouse.execute("SELECT table_name FROM information_schema.tables").fetchall()
    assert ("alert_state",) not in tables and ("alert_log",) not in tables
