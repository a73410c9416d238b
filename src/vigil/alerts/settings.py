"""Config for alert sinks. Webhook URLs and keys come from the environment, never from files."""

from __future__ import annotations

from pydantic import Field

from vigil.settings_base import Section


class AlertSettings(Section):
    """Which environment variables hold the secrets, and de-duplication."""

    slack_webhook_env: str = "VIGIL_SLACK_WEBHOOK_URL"
    pagerduty_routing_key_env: str = "VIGIL_PAGERDUTY_ROUTING_KEY"
    dedup_hours: int = Field(24, ge=0)
    min_tier: str = Field("act_now", pattern="^(act_now|investigate|watch)$")
