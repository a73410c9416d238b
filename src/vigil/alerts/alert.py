"""One alert: a rule firing on a subject. Its dedup key is stable across runs, so one problem is
one alert (and one PagerDuty incident) however often the rule sees it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from vigil.alerts.settings import SEVERITY_ORDER

RULE_TITLES = {
    "act_now": "Act now",
    "anomaly": "New anomaly",
    "drift": "Dataset drift",
    "gate": "CI gate blocks pending patches",
    "fleet": "Fleet segment in the immediate tier",
    "canary": "Canary failed",
}
MAX_KEY = 255
"""PagerDuty's limit on dedup_key"""


def dedup_key(rule: str, subject: str) -> str:
    """``vigil:<rule>:<subject>``; a key PagerDuty would reject for length ends in a digest."""
    key = f"vigil:{rule}:{subject}"
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{key[: MAX_KEY - 17]}~{digest}"


def severity_at_least(severity: str, floor: str) -> bool:
    """Whether ``severity`` is as urgent as ``floor`` or more."""
    return SEVERITY_ORDER.index(severity) >= SEVERITY_ORDER.index(floor)


@dataclass(frozen=True)
class Alert:
    """A rule firing on a subject (a feature, a firmware segment, the dataset, ...)."""

    rule: str
    subject: str
    severity: str
    message: str
    """one readable sentence: what, how bad, since when"""
    label: str = ""
    """how people name the subject (a feature's name); the subject itself is the stable id"""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def dedup_key(self) -> str:
        return dedup_key(self.rule, self.subject)

    @property
    def title(self) -> str:
        return f"{RULE_TITLES.get(self.rule, self.rule)}: {self.label or self.subject}"

    def to_dict(self) -> dict[str, Any]:
        """The fields `vigil alerts --json` prints."""
        return {
            "rule": self.rule,
            "subject": self.subject,
            "severity": self.severity,
            "dedup_key": self.dedup_key,
            "message": self.message,
        }
