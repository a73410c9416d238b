"""Everything behind the endpoint: checking, committing, counting, and the roller thread."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import Counter
from dataclasses import asdict
from typing import Any

from vigil.config import VigilConfig
from vigil.errors import VigilError
from vigil.serve.body import decompress, parse_events
from vigil.serve.coalesce import Coalescer
from vigil.serve.events import Checked, EventRules, check_requests, known_features
from vigil.serve.freshness import Activity, status_path, write_status
from vigil.serve.journal import RECEIVED_AT, Journal
from vigil.serve.metrics import Metrics

log = logging.getLogger(__name__)


def utc_now() -> dt.datetime:
    """The wall clock, naive UTC (receive times are real times, whatever ``as_of`` says)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _unix(at: dt.datetime) -> float:
    return at.replace(tzinfo=dt.UTC).timestamp()


class IngestService:
    """One per server process; build it with :meth:`open` (which recovers the log)."""

    def __init__(self, cfg: VigilConfig, journal: Journal, rules: EventRules) -> None:
        self.cfg = cfg
        self.settings = cfg.serve
        self.journal = journal
        self.rules = rules
        self.activity = Activity()
        self.metrics = Metrics(journal.waiting, utc_now)
        self._known: set[str] | None = None
        self._known_at = 0.0
        self._stop = threading.Event()
        self._roll_now = threading.Event()
        self._thread: threading.Thread | None = None
        self._checker: Coalescer[list[Any], Checked] = Coalescer(self._check)

    @classmethod
    def open(cls, cfg: VigilConfig) -> IngestService:
        """Check the config, recover the log (rolling what a killed server left) and load ids."""
        rules = EventRules.from_config(cfg)
        spool = cfg.workspace_dir / cfg.serve.spool
        journal = Journal.open(
            spool / "log",
            cfg.inbox_dir / "telemetry",
            now=utc_now(),
            dedupe=dt.timedelta(days=cfg.serve.dedupe_days),
        )
        service = cls(cfg, journal, rules)
        service.activity.seed(journal.history[RECEIVED_AT])
        if service.activity.last_event_at is not None:
            service.metrics.last_event.set(_unix(service.activity.last_event_at))
        service._refresh_features(force=True)
        service._write_status()
        return service

    def ingest(self, raw: bytes, encoding: str | None, content_type: str | None) -> dict[str, Any]:
        """Check and store one request's events; the answer body of the 202."""
        items = parse_events(
            decompress(raw, encoding, self.settings.max_body_bytes),
            content_type,
            self.settings.max_events,
        )
        checked = self._checker.submit(items)
        received = utc_now()
        done = self.journal.commit(checked.valid, received)
        self._count(done.accepted, len(checked.rejected), done.duplicate, received)
        if checked.rejected:
            reasons = Counter(x["reason"] for r in checked.rejected for x in r.reasons)
            log.info(
                "rejected %d of %d events: %s",
                len(checked.rejected),
                len(items),
                ", ".join(f"{k} x{n}" for k, n in reasons.most_common()),
            )
        return {
            "accepted": done.accepted,
            "duplicate": done.duplicate,
            "rejected": len(checked.rejected),
            "rejections": [asdict(r) for r in checked.rejected],
        }

    def _check(self, requests: list[list[Any]]) -> list[Checked]:
        """Concurrent requests are checked in one pass (see coalesce.py)."""
        return check_requests(requests, self.rules, now=self._clock(), known=self._known)

    def _clock(self) -> dt.datetime:
        """The validation clock: ``as_of`` when pinned, else the wall clock to the minute.

        Whole minutes let the ingest reuse one validation plan per minute; the check is then
        stricter than `vigil run`'s (whose clock is later) by under a minute, never looser.
        """
        if self.cfg.as_of is not None:
            return self.cfg.run_clock()
        return utc_now().replace(second=0, microsecond=0)

    def start(self) -> None:
        """Start the roller thread."""
        self._thread = threading.Thread(target=self._roll_loop, name="vigil-roller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the roller, roll what is left and close the log."""
        self._stop.set()
        self._roll_now.set()
        if self._thread is not None:
            self._thread.join()
        self.journal.close()
        self._write_status()

    def tick(self) -> None:
        """One roller step: roll the log, refresh the feature list when due, write the status."""
        batches = self.journal.roll(utc_now())
        self.metrics.batches.inc(len(batches))
        self._refresh_features()
        self._write_status()

    def _count(self, accepted: int, rejected: int, duplicate: int, at: dt.datetime) -> None:
        self.metrics.accepted.inc(accepted)
        self.metrics.rejected.inc(rejected)
        self.metrics.duplicate.inc(duplicate)
        if accepted:
            self.activity.record(at, accepted)
            self.metrics.last_event.set(_unix(at))
        if self.journal.active_events >= self.settings.roll_events:
            self._roll_now.set()

    def _roll_loop(self) -> None:
        while not self._stop.is_set():
            self._roll_now.wait(self.settings.roll_seconds)
            self._roll_now.clear()
            if self._stop.is_set():
                return
            try:
                self.tick()
            except (VigilError, OSError) as exc:
                log.error("rolling the event log failed (will retry): %s", exc)

    def _refresh_features(self, force: bool = False) -> None:
        if not force and time.monotonic() - self._known_at < self.settings.features_refresh_seconds:
            return
        try:
            self._known = known_features(self.cfg, self.cfg.run_clock())
        except VigilError as exc:
            if force:
                raise
            log.warning("features input unreadable, keeping the previous list: %s", exc)
        self._known_at = time.monotonic()

    def _write_status(self) -> None:
        write_status(status_path(self.cfg), self.activity.status(utc_now()))
