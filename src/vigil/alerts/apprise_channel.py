"""Further channels through apprise (Teams, Discord, e-mail, ...): one URL from the environment.

apprise does its own transport and reports only success or failure, so a 4xx cannot be told from
a 5xx: each notice gets one attempt per run, and a failure is recorded and retried next run.
Slack, PagerDuty and webhooks keep their own exact payloads and retry rules.
"""

from __future__ import annotations

import datetime as dt

from vigil.alerts.alert import Alert
from vigil.alerts.delivery import Delivery

NOTIFY_TYPES = {"critical": "failure", "error": "failure", "warning": "warning", "info": "info"}


def message(alert: Alert, action: str, opened_at: dt.datetime) -> tuple[str, str, str]:
    """(title, body, apprise notify type) of a notice."""
    resolved = action == "resolve"
    title = ("Resolved: " if resolved else f"[{alert.severity}] ") + alert.title
    body = f"{alert.message}\n\nSince {opened_at:%Y-%m-%d %H:%M} UTC · dedup key {alert.dedup_key}"
    return title, body, "success" if resolved else NOTIFY_TYPES[alert.severity]


def notify(url: str, alert: Alert, action: str, opened_at: dt.datetime) -> Delivery:
    """Send one notice through apprise."""
    try:
        import apprise
    except ImportError:
        return Delivery(False, 0, error="apprise is not installed (pip install apprise)")
    channel = apprise.Apprise()
    if not channel.add(url):
        return Delivery(False, 0, error="apprise does not understand the URL in its variable")
    title, body, kind = message(alert, action, opened_at)
    if channel.notify(title=title, body=body, notify_type=kind):
        return Delivery(True, 1)
    return Delivery(False, 1, error="apprise reported a failure")
