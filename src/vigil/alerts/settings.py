"""Config for alerts: the rules that raise them, where they go, how delivery retries.

Secrets never live in the file: a destination names the *environment variable* that holds its
URL or routing key (``url_env: VIGIL_SLACK_WEBHOOK``). Every threshold here is a policy (how few
users are too few to page about), not a fitted value.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from vigil.settings_base import Section

Severity = Literal["info", "warning", "error", "critical"]
SEVERITY_ORDER: tuple[str, ...] = ("info", "warning", "error", "critical")
"""PagerDuty's four severities, least to most urgent"""
RULE_NAMES = ("act_now", "anomaly", "drift", "gate", "fleet", "canary")

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Rule(Section):
    """What every rule shares: on or off, watched only (``dry_run``), and its severity."""

    enabled: bool = True
    dry_run: bool = False
    """evaluate and log the rule's alerts, never send them: watch a new rule before it pages"""
    severity: Severity = "warning"


class MinimumSample(Rule):
    """A feature rule: no alert on a feature with too few users or events."""

    min_users: float = Field(50.0, ge=0.0)
    """mean daily active users over the 7 days ending on the day"""
    min_events: int = Field(500, ge=0)
    """events over the 7 days ending on the day"""


class ActNowRule(MinimumSample):
    """A feature in the attention list's budget whose feature risk is in the act-now tier."""

    severity: Severity = "critical"


class AnomalyRule(MinimumSample):
    """A detector anomaly on the feature within the last ``lookback_days`` days of data."""

    lookback_days: int = Field(3, ge=1, le=90)
    min_score: float = Field(0.0, ge=0.0)
    """anomalies scoring below this are ignored"""


class DriftRule(Rule):
    """The latest monitoring run found dataset drift."""


class GateRule(Rule):
    """The CI gate blocks the pending patches (the gate's own decision, same thresholds)."""

    severity: Severity = "error"


class FleetRule(Rule):
    """A device segment (model x firmware x age band) in the fleet's immediate tier."""

    severity: Severity = "error"
    min_devices: int = Field(5, ge=0)
    """segments with fewer devices are not alerted on"""


class CanaryRule(Rule):
    """The latest canary verdict of a baseline/candidate pair is Fail."""

    severity: Severity = "critical"
    max_age_days: float = Field(7.0, gt=0.0)
    """verdicts judged longer ago than this no longer alert (and resolve)"""


class Rules(Section):
    """One section per rule."""

    act_now: ActNowRule = ActNowRule()
    anomaly: AnomalyRule = AnomalyRule()
    drift: DriftRule = DriftRule()
    gate: GateRule = GateRule()
    fleet: FleetRule = FleetRule()
    canary: CanaryRule = CanaryRule()

    def get(self, name: str) -> Rule:
        """The settings of rule ``name``."""
        rule: Rule = getattr(self, name)
        return rule


class Destination(Section):
    """Where alerts go. URLs and keys come from the environment variables named here."""

    name: str = Field(min_length=1)
    kind: Literal["slack", "pagerduty", "webhook", "apprise"]
    url_env: str | None = None
    """variable holding the URL: required for slack, webhook and apprise (an apprise URL such as
    ``msteams://...``); for pagerduty it overrides the Events API v2 endpoint (e.g. a proxy)"""
    routing_key_env: str | None = None
    """pagerduty only: variable holding the integration's routing key"""
    min_severity: Severity = "info"
    """only alerts at or above this severity go here"""

    @field_validator("url_env", "routing_key_env")
    @classmethod
    def _names_a_variable(cls, value: str | None) -> str | None:
        if value is not None and not _ENV_NAME.match(value):
            raise ValueError(
                "must name an environment variable (e.g. VIGIL_SLACK_WEBHOOK), never hold the "
                "URL or key itself"
            )
        return value

    @model_validator(mode="after")
    def _has_what_it_needs(self) -> Destination:
        if self.kind == "pagerduty" and self.routing_key_env is None:
            raise ValueError(f"destination '{self.name}': pagerduty needs routing_key_env")
        if self.kind != "pagerduty" and self.url_env is None:
            raise ValueError(f"destination '{self.name}': {self.kind} needs url_env")
        if self.kind != "pagerduty" and self.routing_key_env is not None:
            raise ValueError(f"destination '{self.name}': routing_key_env is for pagerduty only")
        return self


class DeliverySettings(Section):
    """Bounded retries with exponential backoff and jitter on 5xx, 429 and timeouts."""

    max_attempts: int = Field(4, ge=1, le=10)
    backoff_seconds: float = Field(1.0, ge=0.0)
    """the first retry waits about this long; each next one twice as long"""
    max_backoff_seconds: float = Field(30.0, ge=0.0)
    timeout_seconds: float = Field(10.0, gt=0.0)


class AlertSettings(Section):
    """Alerts raised at the end of every run and by ``vigil alerts``."""

    enabled: bool = True
    dry_run: bool = False
    """log every alert, send none (each rule also has its own ``dry_run``)"""
    cooldown_hours: float = Field(24.0, ge=0.0)
    """an alert that resolved and fires again within this long of its last notice is held"""
    destinations: list[Destination] = Field(default_factory=list)
    delivery: DeliverySettings = DeliverySettings()
    rules: Rules = Rules()

    @field_validator("destinations")
    @classmethod
    def _unique_names(cls, value: list[Destination]) -> list[Destination]:
        names = [d.name for d in value]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"destination names must be unique: {', '.join(twice)}")
        return value

    def rule_dry_run(self, rule: str) -> bool:
        """Whether alerts of ``rule`` are only logged."""
        return self.dry_run or self.rules.get(rule).dry_run
