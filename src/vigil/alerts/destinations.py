"""What each destination receives: Slack blocks, PagerDuty Events API v2, a generic JSON webhook.

Builders are pure functions of the alert, so tests assert the exact payloads. The PagerDuty
``dedup_key`` is the alert's own, so a resolve closes exactly the incident its trigger opened.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from vigil.alerts.alert import RULE_TITLES, Alert
from vigil.alerts.settings import Destination

PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
SOURCE = "vigil"
SLACK_EMOJI = {
    "critical": ":red_circle:",
    "error": ":large_orange_circle:",
    "warning": ":large_yellow_circle:",
    "info": ":large_blue_circle:",
}


@dataclass(frozen=True)
class Target:
    """A destination with its URL and key read from the environment (None when unset)."""

    spec: Destination
    url: str | None
    routing_key: str | None = None

    @property
    def missing(self) -> list[str]:
        """Environment variables this destination needs that are not set."""
        out = []
        if self.url is None and self.spec.url_env is not None:
            out.append(self.spec.url_env)
        if self.spec.kind == "pagerduty" and self.routing_key is None:
            out.append(str(self.spec.routing_key_env))
        return out


def resolve_target(spec: Destination, env: dict[str, str] | None = None) -> Target:
    """Read the destination's URL and key from ``env`` (default: the process environment)."""
    env = dict(os.environ) if env is None else env
    url = env.get(spec.url_env) if spec.url_env else None
    if spec.kind == "pagerduty":
        key = env.get(spec.routing_key_env or "") or None
        return Target(spec, (url or None) if spec.url_env else PAGERDUTY_EVENTS_URL, key)
    return Target(spec, url or None)


def payload(target: Target, alert: Alert, action: str, opened_at: dt.datetime) -> dict[str, Any]:
    """The JSON body ``target`` receives for ``action`` (trigger | resolve) of ``alert``."""
    kind = target.spec.kind
    if kind == "slack":
        return slack(alert, action, opened_at)
    if kind == "pagerduty":
        return pagerduty(alert, action, opened_at, target.routing_key or "")
    return webhook(alert, action, opened_at)


def slack(alert: Alert, action: str, opened_at: dt.datetime) -> dict[str, Any]:
    """An incoming-webhook message: a header, the sentence, the facts, the dedup key."""
    resolved = action == "resolve"
    mark = ":white_check_mark:" if resolved else SLACK_EMOJI[alert.severity]
    title = ("Resolved: " if resolved else "") + alert.title
    facts = {
        "Severity": alert.severity,
        "Rule": RULE_TITLES.get(alert.rule, alert.rule),
        "Subject": alert.subject,
        "Since": f"{opened_at:%Y-%m-%d %H:%M} UTC",
    }
    return {
        "text": _escape(f"{title}: {alert.message}"),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": f"{mark} {title}"[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": _escape(alert.message)[:3000]}},
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{name}*\n{_escape(value)}"}
                    for name, value in facts.items()
                ],
            },
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"Vigil · dedup key `{_escape(alert.dedup_key)}`"}
                ],
            },
        ],
    }


def pagerduty(
    alert: Alert, action: str, opened_at: dt.datetime, routing_key: str
) -> dict[str, Any]:
    """An Events API v2 event: trigger with the full payload, resolve with the key alone."""
    if action == "resolve":
        return {"routing_key": routing_key, "event_action": "resolve", "dedup_key": alert.dedup_key}
    return {
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": alert.dedup_key,
        "payload": {
            "summary": alert.message[:1024],
            "source": SOURCE,
            "severity": alert.severity,
            "timestamp": opened_at.replace(tzinfo=dt.UTC).isoformat(),
            "component": alert.subject,
            "group": alert.rule,
            "class": alert.rule,
            "custom_details": alert.details,
        },
        "client": "Vigil",
    }


def webhook(alert: Alert, action: str, opened_at: dt.datetime) -> dict[str, Any]:
    """A plain JSON document for any receiver."""
    return {
        "source": SOURCE,
        "action": action,
        **alert.to_dict(),
        "title": alert.title,
        "opened_at": opened_at.replace(tzinfo=dt.UTC).isoformat(),
        "details": alert.details,
    }


def _escape(text: str) -> str:
    """Slack mrkdwn: &, < and > must be escaped, so names never become links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
