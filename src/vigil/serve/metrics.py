"""Prometheus metrics of the endpoint, in a registry of its own (text format on /metrics)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

Waiting = Callable[[], tuple[int, dt.datetime | None]]
Clock = Callable[[], dt.datetime]


class Metrics:
    """Counters for events and requests; gauges read the journal when scraped."""

    def __init__(self, waiting: Waiting, clock: Clock) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.accepted = Counter(
            "vigil_ingest_events_accepted", "Events accepted and fsync'd.", registry=r
        )
        self.rejected = Counter(
            "vigil_ingest_events_rejected", "Events rejected by validation.", registry=r
        )
        self.duplicate = Counter(
            "vigil_ingest_events_duplicate", "Events resent with a stored event_id.", registry=r
        )
        self.requests = Counter(
            "vigil_ingest_requests", "POST /v1/events requests by status.", ["code"], registry=r
        )
        self.batches = Counter(
            "vigil_ingest_batches_written", "Micro-batches written to the inbox.", registry=r
        )
        self.last_event = Gauge(
            "vigil_ingest_last_event_timestamp_seconds",
            "Unix time of the last accepted event.",
            registry=r,
        )
        Gauge(
            "vigil_ingest_events_waiting",
            "Accepted events in the log, not yet in an inbox batch.",
            registry=r,
        ).set_function(lambda: float(waiting()[0]))
        Gauge(
            "vigil_ingest_batch_lag_seconds",
            "Age of the oldest accepted event not yet in an inbox batch (0 when none wait).",
            registry=r,
        ).set_function(lambda: _lag(waiting()[1], clock()))

    def render(self) -> bytes:
        """The Prometheus text exposition."""
        return generate_latest(self.registry)


def _lag(first: dt.datetime | None, now: dt.datetime) -> float:
    return 0.0 if first is None else max((now - first).total_seconds(), 0.0)
