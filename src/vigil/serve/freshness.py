"""Live freshness: when the last event arrived and how many arrive per minute.

The server counts events per received minute (seeded from its inbox on start) and writes a small
status file on every roll tick; :func:`read_freshness` is the read API the dashboard uses. The
status file says when it was written, so a stopped server reads as stopped, not as quiet.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from vigil.config import VigilConfig

STATUS_FILE = "freshness.json"
KEEP_MINUTES = 60
RATE_MINUTES = 5


class Activity:
    """Events per received minute over the last hour, and the last receive time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._minutes: dict[dt.datetime, int] = {}
        self.last_event_at: dt.datetime | None = None

    def seed(self, received_at: pl.Series) -> None:
        """Count events already stored (their receive times) before the server started."""
        if received_at.is_empty():
            return
        counts = received_at.dt.truncate("1m").value_counts()
        for minute, n in counts.iter_rows():
            self._add(minute, int(n))
        self.last_event_at = received_at.max()  # type: ignore[assignment]

    def record(self, at: dt.datetime, events: int) -> None:
        """``events`` events were accepted at ``at`` (naive UTC)."""
        with self._lock:
            self._add(at.replace(second=0, microsecond=0), events)
            if self.last_event_at is None or at > self.last_event_at:
                self.last_event_at = at

    def status(self, now: dt.datetime) -> dict[str, object]:
        """The status document: last event time and the per-minute counts of the last hour."""
        with self._lock:
            since = now - dt.timedelta(minutes=KEEP_MINUTES)
            self._minutes = {m: n for m, n in self._minutes.items() if m >= since}
            minutes = {m.isoformat(): n for m, n in sorted(self._minutes.items())}
            last = self.last_event_at
        return {
            "written_at": now.isoformat(),
            "last_event_at": last.isoformat() if last else None,
            "events_per_minute": minutes,
        }

    def _add(self, minute: dt.datetime, events: int) -> None:
        self._minutes[minute] = self._minutes.get(minute, 0) + events


def write_status(path: Path, status: dict[str, object]) -> None:
    """Replace the status file atomically (readers never see half a file)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(status, indent=1), encoding="utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True)
class Freshness:
    """What the overview shows about live ingest."""

    last_event_at: dt.datetime | None
    events_per_minute: float
    """mean over the last RATE_MINUTES whole minutes"""
    per_minute: pl.DataFrame
    """minute, events: the last hour, minutes without events filled with 0"""
    status_at: dt.datetime
    server_running: bool


def status_path(cfg: VigilConfig) -> Path:
    """Where the server writes its freshness status."""
    return cfg.workspace_dir / cfg.serve.spool / STATUS_FILE


def read_freshness(cfg: VigilConfig, now: dt.datetime) -> Freshness | None:
    """Live-ingest freshness as of ``now`` (naive UTC); None when `vigil serve` never ran here."""
    path = status_path(cfg)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    status_at = dt.datetime.fromisoformat(doc["written_at"])
    last = doc.get("last_event_at")
    counts = {dt.datetime.fromisoformat(m): n for m, n in doc["events_per_minute"].items()}
    this_minute = now.replace(second=0, microsecond=0)
    minutes = [this_minute - dt.timedelta(minutes=k) for k in range(KEEP_MINUTES, -1, -1)]
    per_minute = pl.DataFrame(
        {"minute": minutes, "events": [counts.get(m, 0) for m in minutes]},
        schema={"minute": pl.Datetime("us"), "events": pl.Int64},
    )
    whole = [this_minute - dt.timedelta(minutes=k) for k in range(1, RATE_MINUTES + 1)]
    rate = sum(counts.get(m, 0) for m in whole) / RATE_MINUTES
    stale_after = dt.timedelta(seconds=max(3 * cfg.serve.roll_seconds, 30.0))
    return Freshness(
        last_event_at=dt.datetime.fromisoformat(last) if last else None,
        events_per_minute=rate,
        per_minute=per_minute,
        status_at=status_at,
        server_running=now - status_at <= stale_after,
    )
