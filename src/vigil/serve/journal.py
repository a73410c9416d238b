"""Accepted events, exactly once: event_id dedupe, the durable log, and rolling into the inbox.

``commit`` returns only after the events are fsync'd (and, for a resent event_id, after the
record that first held it is fsync'd). ``roll`` seals the active segment and turns every sealed
segment into one Parquet micro-batch in the inbox, named after the segment: the batch is written
to a temporary name, fsync'd and renamed before the segment is deleted, so a crash at any point
either leaves the segment (rolled again, to the same name) or the finished batch (the segment is
then only deleted). ``vigil run`` loads each batch once by its content hash.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from vigil.ingest.reader import LINE
from vigil.serve.errors import ServeError
from vigil.serve.events import EVENT_ID
from vigil.serve.ids import EventIds
from vigil.serve.log import SegmentLog, fsync_dir, read_records, repair, segment_seq, segments

log = logging.getLogger(__name__)

RECEIVED_AT = "received_at"
BATCH_PREFIX = "batch-"
LOCK_FILE = "server.lock"


@dataclass(frozen=True)
class Committed:
    """What one request added: new events, and events whose event_id was already stored."""

    accepted: int
    duplicate: int


@dataclass
class _Pending:
    """Events logged but not yet in a batch, per segment: count and first receive time."""

    events: int
    first: dt.datetime


class Journal:
    """The server's store of accepted events. Build it with :meth:`open`."""

    def __init__(
        self, log_dir: Path, inbox: Path, seg_log: SegmentLog, lock_fd: int, ids: EventIds
    ) -> None:
        self.log_dir = log_dir
        self._lock_fd = lock_fd
        self.inbox = inbox
        self._log = seg_log
        self._lock = threading.Lock()
        self._ids = ids
        self._pending: dict[int, _Pending] = {}
        self.history = pl.DataFrame(schema={RECEIVED_AT: pl.Datetime("us")})
        """receive times of the stored events of the last hour (and the latest one)"""

    @classmethod
    def open(cls, log_dir: Path, inbox: Path, *, now: dt.datetime, dedupe: dt.timedelta) -> Journal:
        """Repair and roll what a previous process left, load recent event_ids, start a log."""
        log_dir.mkdir(parents=True, exist_ok=True)
        inbox.mkdir(parents=True, exist_ok=True)
        lock_fd = _lock(log_dir)
        for stale in inbox.glob(f"{BATCH_PREFIX}*.tmp"):
            stale.unlink()
        for segment in segments(log_dir):
            repair(segment)
            _roll_segment(segment, inbox, log_dir)
        batches = _batches(inbox)
        last = max((segment_seq(p) for p in batches), default=0)
        journal = cls(log_dir, inbox, SegmentLog(log_dir, last + 1), lock_fd, EventIds(dedupe))
        journal._load(batches, now)
        return journal

    def commit(self, rows: pl.DataFrame, received_at: dt.datetime) -> Committed:
        """Store the new events durably; returns once every event of ``rows`` is on disk."""
        with self._lock:
            fresh, waits = self._dedupe(rows)
            lsn = 0
            if fresh.height:
                stored = fresh.drop(LINE, strict=False).with_columns(
                    pl.lit(received_at, dtype=pl.Datetime("us")).alias(RECEIVED_AT)
                )
                lsn = self._log.append(_to_ipc(stored))
                self._ids.add(fresh[EVENT_ID].drop_nulls().to_list(), lsn, received_at)
                self._note_pending(fresh.height, received_at)
        self._log.wait_durable(max([lsn, *waits]))
        return Committed(accepted=fresh.height, duplicate=rows.height - fresh.height)

    def roll(self, now: dt.datetime | None = None) -> list[Path]:
        """Seal the active segment, turn sealed segments into batches (returned); expire ids."""
        with self._lock:
            self._log.seal()
            if now is not None:
                self._ids.expire(now)
        written = []
        for segment in self._log.sealed_segments():
            batch = _roll_segment(segment, self.inbox, self.log_dir)
            with self._lock:
                self._pending.pop(segment_seq(segment), None)
            if batch is not None:
                written.append(batch)
        return written

    def close(self) -> None:
        """Roll everything and close the log (the server is stopping)."""
        self.roll()
        self._log.close()
        if self._lock_fd >= 0:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = -1

    @property
    def failure(self) -> str | None:
        """Why the log cannot take events any more, or None."""
        return self._log.failure

    @property
    def active_events(self) -> int:
        """Events waiting in the active segment."""
        with self._lock:
            pending = self._pending.get(segment_seq(self._log.active))
            return pending.events if pending else 0

    def waiting(self) -> tuple[int, dt.datetime | None]:
        """Events logged but not yet in a batch, and the receive time of the oldest."""
        with self._lock:
            events = sum(p.events for p in self._pending.values())
            first = min((p.first for p in self._pending.values()), default=None)
        return events, first

    def _dedupe(self, rows: pl.DataFrame) -> tuple[pl.DataFrame, list[int]]:
        """Rows whose event_id is new (first of each id in the request); LSNs of the others."""
        keep: list[bool] = []
        waits: list[int] = []
        here: set[str] = set()
        for event_id in rows[EVENT_ID].to_list():
            prior = self._ids.lsn(event_id) if event_id is not None else None
            if prior is not None:
                waits.append(prior)
            keep.append(event_id is None or (prior is None and event_id not in here))
            if event_id is not None:
                here.add(event_id)
        return rows.filter(pl.Series(keep, dtype=pl.Boolean)), waits

    def _note_pending(self, events: int, at: dt.datetime) -> None:
        seq = segment_seq(self._log.active)
        pending = self._pending.setdefault(seq, _Pending(0, at))
        pending.events += events

    def _load(self, batches: list[Path], now: dt.datetime) -> None:
        if not batches:
            return
        stored = pl.scan_parquet(batches).select(EVENT_ID, RECEIVED_AT).collect()
        self._ids.load(stored, now)
        latest = stored[RECEIVED_AT].max()
        recent = pl.col(RECEIVED_AT) >= pl.lit(latest) - pl.duration(hours=1)
        self.history = stored.select(RECEIVED_AT).filter(recent)
        log.info("%d batches in the inbox, %d event ids remembered", len(batches), len(self._ids))


def _lock(log_dir: Path) -> int:
    """Hold the log folder for this process (the OS drops it if the process dies)."""
    fd = os.open(log_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise ServeError(
            f"another `vigil serve` is using {log_dir}; stop it first (one server per workspace)"
        ) from None
    return fd


def _batches(inbox: Path) -> list[Path]:
    return sorted(inbox.glob(f"{BATCH_PREFIX}*.parquet"), key=segment_seq)


def batch_path(inbox: Path, seq: int) -> Path:
    """Where segment ``seq`` is rolled to."""
    return inbox / f"{BATCH_PREFIX}{seq:012d}.parquet"


def _roll_segment(segment: Path, inbox: Path, log_dir: Path) -> Path | None:
    """Write the segment's events as one batch (unless it exists already), then delete it."""
    batch = batch_path(inbox, segment_seq(segment))
    written = None
    if not batch.exists():
        frames = [pl.read_ipc(io.BytesIO(payload)) for payload in read_records(segment)]
        if frames:
            _write_batch(pl.concat(frames, how="vertical"), batch)
            written = batch
    segment.unlink()
    fsync_dir(log_dir)
    return written


def _write_batch(frame: pl.DataFrame, batch: Path) -> None:
    tmp = batch.with_name(batch.name + ".tmp")
    frame.write_parquet(tmp, compression="zstd", statistics=True)
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, batch)
    fsync_dir(batch.parent)
    log.info("rolled %d events into %s", frame.height, batch.name)


def _to_ipc(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    return buffer.getvalue()
