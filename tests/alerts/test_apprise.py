"""apprise channels: a notice reaches apprise's JSON notifier on a local server, once a run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from vigil.alerts.alert import Alert
from vigil.alerts.apprise_channel import notify
from vigil.alerts.notify import run_alerts
from vigil.config import VigilConfig

from .conftest import NOW, Receiver

OPENED = dt.datetime(2026, 3, 11, 12, 0)
ALERT = Alert("anomaly", "F1", "warning", "Checkout, 2026-03-10: crash rate up", "Checkout")


def test_a_notice_reaches_the_channel_with_title_body_and_type(receiver: Receiver) -> None:
    url = receiver.url.replace("http://", "json://") + "/teams"
    result = notify(url, ALERT, "trigger", OPENED)
    assert (result.delivered, result.attempts) == (True, 1)
    assert receiver.bodies("/teams") == [
        {
            "version": "1.0",
            "title": "[warning] New anomaly: Checkout",
            "message": "Checkout, 2026-03-10: crash rate up\n\n"
            "Since 2026-03-11 12:00 UTC · dedup key vigil:anomaly:F1",
            "attachments": [],
            "type": "warning",
        }
    ]
    notify(url, ALERT, "resolve", OPENED)
    resolved = receiver.bodies("/teams")[1]
    assert (resolved["title"], resolved["type"]) == ("Resolved: New anomaly: Checkout", "success")


def test_a_failure_is_one_attempt_and_a_bad_url_none(receiver: Receiver) -> None:
    receiver.script["/teams"] = [500, 500]
    url = receiver.url.replace("http://", "json://") + "/teams"
    failed = notify(url, ALERT, "trigger", OPENED)
    assert (failed.delivered, failed.attempts, failed.error) == (
        False,
        1,
        "apprise reported a failure",
    )
    assert len(receiver.bodies("/teams")) == 1
    bad = notify("not a url", ALERT, "trigger", OPENED)
    assert (bad.attempts, bad.error) == (0, "apprise does not understand the URL in its variable")


def test_apprise_destination_in_a_run(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, receiver: Receiver
) -> None:
    dest = {"name": "teams", "kind": "apprise", "url_env": "T_APPRISE", "min_severity": "error"}
    cfg = VigilConfig.model_validate({"root": tmp_path, "alerts": {"destinations": [dest]}})
    env = {"T_APPRISE": receiver.url.replace("http://", "json://") + "/teams"}
    run = run_alerts(warehouse, cfg, NOW, env=env)
    assert [b["title"] for b in receiver.bodies("/teams")] == [
        "[critical] Act now: Checkout",
        "[error] Fleet segment in the immediate tier: hub-1 on 3.2.1, 2y+",
    ]
    assert run.summary()["delivered"] == 2
