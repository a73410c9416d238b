"""Exact payloads of Slack, PagerDuty Events API v2 and the generic webhook; dedup keys."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.alerts.alert import Alert, dedup_key
from vigil.alerts.destinations import (
    PAGERDUTY_EVENTS_URL,
    pagerduty,
    resolve_target,
    slack,
    webhook,
)
from vigil.alerts.settings import Destination

OPENED = dt.datetime(2026, 3, 11, 12, 0)
ALERT = Alert(
    rule="anomaly",
    subject="F1",
    label="Checkout",
    severity="warning",
    message="Checkout, 2026-03-10: crash_rate level shift up",
    details={"score": 0.97},
)


def test_dedup_key_is_rule_and_subject_and_fits_pagerduty() -> None:
    assert ALERT.dedup_key == "vigil:anomaly:F1"
    long = dedup_key("fleet", "x" * 400)
    assert len(long) == 255
    assert long.startswith("vigil:fleet:xxx")
    assert long != dedup_key("fleet", "x" * 401)


def test_pagerduty_trigger_and_resolve_are_exact() -> None:
    assert pagerduty(ALERT, "trigger", OPENED, "KEY") == {
        "routing_key": "KEY",
        "event_action": "trigger",
        "dedup_key": "vigil:anomaly:F1",
        "payload": {
            "summary": "Checkout, 2026-03-10: crash_rate level shift up",
            "source": "vigil",
            "severity": "warning",
            "timestamp": "2026-03-11T12:00:00+00:00",
            "component": "F1",
            "group": "anomaly",
            "class": "anomaly",
            "custom_details": {"score": 0.97},
        },
        "client": "Vigil",
    }
    assert pagerduty(ALERT, "resolve", OPENED, "KEY") == {
        "routing_key": "KEY",
        "event_action": "resolve",
        "dedup_key": "vigil:anomaly:F1",
    }


def test_slack_blocks_are_exact() -> None:
    assert slack(ALERT, "trigger", OPENED) == {
        "text": "New anomaly: Checkout: Checkout, 2026-03-10: crash_rate level shift up",
        "blocks": [
            {
                "type": "header",
                "text": {
                    "type": "plain_text",
                    "text": ":large_yellow_circle: New anomaly: Checkout",
                },
            },
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "Checkout, 2026-03-10: crash_rate level shift up",
                },
            },
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": "*Severity*\nwarning"},
                    {"type": "mrkdwn", "text": "*Rule*\nNew anomaly"},
                    {"type": "mrkdwn", "text": "*Subject*\nF1"},
                    {"type": "mrkdwn", "text": "*Since*\n2026-03-11 12:00 UTC"},
                ],
            },
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "Vigil · dedup key `vigil:anomaly:F1`"}],
            },
        ],
    }
    resolved = slack(ALERT, "resolve", OPENED)
    assert resolved["blocks"][0]["text"]["text"] == (
        ":white_check_mark: Resolved: New anomaly: Checkout"
    )


def test_slack_escapes_names_so_they_never_become_links() -> None:
    evil = Alert("act_now", "F9", "critical", "<https://evil.example|click> & more", "x")
    body = slack(evil, "trigger", OPENED)
    assert body["blocks"][1]["text"]["text"] == "&lt;https://evil.example|click&gt; &amp; more"
    assert "<" not in body["text"]


def test_webhook_is_exact() -> None:
    assert webhook(ALERT, "resolve", OPENED) == {
        "source": "vigil",
        "action": "resolve",
        "rule": "anomaly",
        "subject": "F1",
        "severity": "warning",
        "dedup_key": "vigil:anomaly:F1",
        "message": "Checkout, 2026-03-10: crash_rate level shift up",
        "title": "New anomaly: Checkout",
        "opened_at": "2026-03-11T12:00:00+00:00",
        "details": {"score": 0.97},
    }


def test_targets_read_urls_and_keys_from_the_environment_only() -> None:
    pd = Destination(name="pd", kind="pagerduty", routing_key_env="PD_KEY")
    assert resolve_target(pd, {"PD_KEY": "abc"}).url == PAGERDUTY_EVENTS_URL
    assert resolve_target(pd, {"PD_KEY": "abc"}).routing_key == "abc"
    assert resolve_target(pd, {}).missing == ["PD_KEY"]
    hook = Destination(name="hook", kind="webhook", url_env="HOOK_URL")
    assert resolve_target(hook, {"HOOK_URL": "http://h/x"}).url == "http://h/x"
    assert resolve_target(hook, {"HOOK_URL": ""}).missing == ["HOOK_URL"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"name": "s", "kind": "slack", "url_env": "https://hooks.slack.com/services/T/B/X"},
            "must name an environment variable",
        ),
        ({"name": "s", "kind": "slack"}, "destination 's': slack needs url_env"),
        ({"name": "p", "kind": "pagerduty"}, "destination 'p': pagerduty needs routing_key_env"),
    ],
)
def test_destination_config_refuses_secrets_and_gaps(spec: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Destination.model_validate(spec)
