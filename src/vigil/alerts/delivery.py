"""POST a JSON body with bounded retries: exponential backoff with jitter on 5xx, 429, timeouts
and connection errors; no retry on any other 4xx (the request itself is wrong).

Standard library only (urllib). ``sleep`` and ``rng`` are injectable, so tests run instantly and
see the exact waits.
"""

from __future__ import annotations

import json
import logging
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vigil.alerts.settings import DeliverySettings

log = logging.getLogger(__name__)

USER_AGENT = "vigil-alerts/1"


@dataclass(frozen=True)
class Delivery:
    """The outcome of one POST: delivered or not, after how many attempts."""

    delivered: bool
    attempts: int
    status_code: int | None = None
    error: str | None = None
    exhausted: bool = False
    """every attempt failed on a transient error: the destination looks down"""


@dataclass
class Poster:
    """Sends JSON bodies with the retry policy of :class:`DeliverySettings`."""

    settings: DeliverySettings = field(default_factory=DeliverySettings)
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, retry: int) -> float:
        """Wait before retry ``retry`` (1-based): half of min(cap, base * 2^(retry-1)) plus a
        uniform jitter up to the other half."""
        s = self.settings
        delay = min(s.max_backoff_seconds, s.backoff_seconds * 2 ** (retry - 1))
        return delay / 2 + self.rng.uniform(0, delay / 2)

    def post(self, url: str, body: dict[str, Any]) -> Delivery:
        """POST ``body`` to ``url`` until it succeeds, fails for good, or attempts run out."""
        if urllib.parse.urlparse(url).scheme not in ("http", "https"):
            return Delivery(False, 0, error="the URL must start with http:// or https://")
        data = json.dumps(body, default=str).encode("utf-8")
        status: int | None = None
        error = ""
        for attempt in range(1, self.settings.max_attempts + 1):
            if attempt > 1:
                self.sleep(self.backoff(attempt - 1))
            status, error, retry = self._once(url, data)
            if status is not None and 200 <= status < 300:
                return Delivery(True, attempt, status)
            if not retry:
                return Delivery(False, attempt, status, error)
            log.info("alerts: attempt %d to %s failed (%s)", attempt, _host(url), error)
        return Delivery(False, self.settings.max_attempts, status, error, exhausted=True)

    def _once(self, url: str, data: bytes) -> tuple[int | None, str, bool]:
        """(status code, error text, worth retrying)."""
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds) as resp:
                return resp.status, "", False
        except urllib.error.HTTPError as exc:
            code = exc.code
            return code, f"HTTP {code} {exc.reason}", code >= 500 or code == 429
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return None, f"{type(exc).__name__}: {reason}", True


def _host(url: str) -> str:
    """The host of a URL, for logs: webhook URLs carry secrets in their path."""
    return urllib.parse.urlparse(url).netloc or "?"
