"""An append-only log of records in numbered segment files, fsync'd by group commit.

A record is ``MAGIC | length | crc32 | payload``. Writers append under one lock and get a log
sequence number (LSN: bytes written by this process); :meth:`SegmentLog.wait_durable` returns
once an fsync covered that LSN. Whichever waiter takes the sync lock first fsyncs for everyone
queued behind it, so concurrent requests share one fsync.

On open, every existing segment is checked: a torn record at the very end (a write cut by
``kill -9`` or power loss, never acknowledged) is cut off; a bad record with data after it is
corruption and stops the server. A new process always starts a new segment.
"""

from __future__ import annotations

import logging
import os
import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

from vigil.serve.errors import ServeError

log = logging.getLogger(__name__)

MAGIC = b"VGL1"
HEADER = struct.Struct("<4sII")
SUFFIX = ".log"


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (created, renamed, deleted files) durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def segment_seq(path: Path) -> int:
    """The number in a segment's (or batch's) file name."""
    return int(path.stem.rsplit("-", 1)[-1])


class SegmentLog:
    """Numbered segments in ``folder``; one active segment is appended to at a time."""

    def __init__(self, folder: Path, first_seq: int) -> None:
        self.folder = folder
        self._write_lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._written = 0
        self._durable = 0
        self._records = 0
        self._failed: str | None = None
        self._seq = first_seq
        self._fd = self._create(first_seq)

    @property
    def active(self) -> Path:
        return self._path(self._seq)

    @property
    def failure(self) -> str | None:
        """Why the log accepts nothing more (a failed write or fsync), or None while healthy."""
        return self._failed

    @property
    def active_records(self) -> int:
        """Records in the active segment (not yet sealed)."""
        return self._records

    def append(self, payload: bytes) -> int:
        """Write one record to the active segment; returns the LSN that makes it durable."""
        record = HEADER.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload
        with self._write_lock:
            self._check()
            try:
                os.write(self._fd, record)
            except OSError as exc:
                self._fail(f"write to {self.active.name} failed: {exc}")
            self._written += len(record)
            self._records += 1
            return self._written

    def wait_durable(self, lsn: int) -> None:
        """Return once an fsync has covered ``lsn`` (group commit)."""
        with self._sync_lock:
            if self._durable >= lsn:
                return
            with self._write_lock:
                self._check()
                fd, target = self._fd, self._written
            try:
                os.fsync(fd)
            except OSError as exc:
                with self._write_lock:
                    self._fail(f"fsync of {self.active.name} failed: {exc}")
            self._durable = target

    def seal(self) -> Path | None:
        """Close the active segment when it holds records and start the next; returns it."""
        with self._sync_lock, self._write_lock:
            self._check()
            if self._records == 0:
                return None
            sealed = self.active
            try:
                os.fsync(self._fd)
                os.close(self._fd)
            except OSError as exc:
                self._fail(f"sealing {sealed.name} failed: {exc}")
            self._durable = self._written
            self._seq += 1
            self._records = 0
            self._fd = self._create(self._seq)
            return sealed

    def close(self) -> None:
        """Close the active segment; an empty one is removed."""
        with self._sync_lock, self._write_lock:
            if self._fd < 0:
                return
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = -1
            if self._records == 0:
                self.active.unlink(missing_ok=True)
                fsync_dir(self.folder)

    def sealed_segments(self) -> list[Path]:
        """Segments older than the active one, oldest first."""
        return [p for p in segments(self.folder) if segment_seq(p) < self._seq]

    def _path(self, seq: int) -> Path:
        return self.folder / f"{seq:012d}{SUFFIX}"

    def _create(self, seq: int) -> int:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
        fd = os.open(self._path(seq), flags, 0o600)
        fsync_dir(self.folder)
        return fd

    def _check(self) -> None:
        if self._failed is not None:
            raise ServeError(f"the event log is unusable ({self._failed}); restart the server")
        if self._fd < 0:
            raise ServeError("the event log is closed (the server is stopping)")

    def _fail(self, why: str) -> None:
        # After a failed write or fsync the file's state is unknown: accept nothing more.
        self._failed = why
        log.error("event log failed: %s", why)
        raise ServeError(f"the event log is unusable ({why}); restart the server")


def segments(folder: Path) -> list[Path]:
    """Every segment file in ``folder``, oldest first."""
    return sorted(folder.glob(f"*{SUFFIX}"), key=segment_seq)


def read_records(path: Path) -> Iterator[bytes]:
    """The payloads of a segment that :func:`repair` has checked."""
    data = path.read_bytes()
    offset = 0
    while offset < len(data):
        _, length, _ = HEADER.unpack_from(data, offset)
        start = offset + HEADER.size
        yield data[start : start + length]
        offset = start + length


def repair(path: Path) -> int:
    """Cut a torn record off the end of a segment; returns the records kept.

    Raises ServeError when a bad record is followed by more data (that is not a torn write).
    """
    data = path.read_bytes()
    offset, kept = 0, 0
    while offset < len(data):
        end = _record_end(data, offset)
        if end is None:
            break
        offset, kept = end, kept + 1
    if offset < len(data):
        if _later_record(data, offset):
            raise ServeError(
                f"{path} is corrupt at byte {offset} (a bad record with records after it); "
                "move the file aside and restart"
            )
        log.warning("%s: cut %d bytes of a torn write at the end", path.name, len(data) - offset)
        with path.open("r+b") as fh:
            fh.truncate(offset)
            fh.flush()
            os.fsync(fh.fileno())
    return kept


def _record_end(data: bytes, offset: int) -> int | None:
    if offset + HEADER.size > len(data):
        return None
    magic, length, crc = HEADER.unpack_from(data, offset)
    start = offset + HEADER.size
    if magic != MAGIC or start + length > len(data):
        return None
    if zlib.crc32(data[start : start + length]) != crc:
        return None
    return start + length


def _later_record(data: bytes, offset: int) -> bool:
    """Whether a valid record starts anywhere after a bad one."""
    at = data.find(MAGIC, offset + 1)
    while at != -1:
        if _record_end(data, at) is not None:
            return True
        at = data.find(MAGIC, at + 1)
    return False
