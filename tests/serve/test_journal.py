"""The log and the journal: torn tails, corruption, crash between roll steps, durable dedupe."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from tests.serve.data import event

from vigil.ingest.contracts import TELEMETRY_EVENTS
from vigil.serve.errors import ServeError
from vigil.serve.events import EventRules, check_events
from vigil.serve.ids import EventIds
from vigil.serve.journal import Journal, batch_path
from vigil.serve.log import SegmentLog, read_records, repair, segments

RULES = EventRules(TELEMETRY_EVENTS, {}, max_length=256, max_latency_ms=600_000.0)
AT = dt.datetime(2026, 3, 1, 12)
WINDOW = {"now": AT, "dedupe": dt.timedelta(days=7)}


def _rows(*numbers: int, ids: bool = True) -> pl.DataFrame:
    items = [event(n, event_id=f"e{n}" if ids else None) for n in numbers]
    checked = check_events(items, RULES, now=dt.datetime(2026, 3, 2), known=None)
    assert not checked.rejected
    return checked.valid


def _stored(inbox: Path) -> list[str]:
    return sorted(pl.read_parquet(sorted(inbox.glob("*.parquet")))["user_id"].to_list())


def test_a_torn_record_at_the_end_is_cut_off(tmp_path: Path) -> None:
    seg_log = SegmentLog(tmp_path, 1)
    seg_log.wait_durable(seg_log.append(b"first"))
    seg_log.wait_durable(seg_log.append(b"second"))
    seg_log.close()
    path = segments(tmp_path)[0]
    whole = path.read_bytes()
    path.write_bytes(whole[:-3])  # the second write was cut by a crash
    assert repair(path) == 1
    assert list(read_records(path)) == [b"first"]
    assert path.stat().st_size == 12 + len(b"first")


def test_a_bad_record_followed_by_good_ones_is_corruption(tmp_path: Path) -> None:
    seg_log = SegmentLog(tmp_path, 1)
    for payload in (b"one", b"two", b"three"):
        seg_log.append(payload)
    seg_log.close()
    path = segments(tmp_path)[0]
    data = bytearray(path.read_bytes())
    data[13] ^= 0xFF  # a byte of the first payload
    path.write_bytes(bytes(data))
    with pytest.raises(ServeError, match="is corrupt at byte 0"):
        repair(path)


def test_commit_rolls_into_one_batch_and_resent_ids_are_duplicates(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    journal = Journal.open(tmp_path / "log", inbox, **WINDOW)
    first = journal.commit(_rows(1, 2, 3), AT)
    again = journal.commit(_rows(2, 3, 4), AT)
    assert (first.accepted, first.duplicate) == (3, 0)
    assert (again.accepted, again.duplicate) == (1, 2)
    assert journal.waiting() == (4, AT)
    assert journal.roll() == [batch_path(inbox, 1)]
    assert journal.waiting() == (0, None)
    assert _stored(inbox) == ["live1", "live2", "live3", "live4"]
    journal.close()


def test_ids_survive_a_restart(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    journal = Journal.open(tmp_path / "log", inbox, **WINDOW)
    journal.commit(_rows(1, 2), AT)
    journal.close()
    reopened = Journal.open(tmp_path / "log", inbox, **WINDOW)
    assert reopened.history["received_at"].to_list() == [AT, AT]
    again = reopened.commit(_rows(1, 2, 5), AT)
    assert (again.accepted, again.duplicate) == (1, 2)
    reopened.close()
    assert _stored(inbox) == ["live1", "live2", "live5"]


def test_events_without_ids_are_never_deduplicated_by_the_server(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "log", tmp_path / "inbox", **WINDOW)
    assert journal.commit(_rows(1, ids=False), AT).accepted == 1
    assert journal.commit(_rows(1, ids=False), AT).accepted == 1
    journal.close()


def test_unrolled_log_of_a_killed_server_is_rolled_on_open(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    journal = Journal.open(tmp_path / "log", inbox, **WINDOW)
    journal.commit(_rows(1, 2), AT)
    # No roll, no close: the process "dies" here (and the OS drops its lock).
    os.close(journal._lock_fd)
    reopened = Journal.open(tmp_path / "log", inbox, **WINDOW)
    assert _stored(inbox) == ["live1", "live2"]
    assert reopened.commit(_rows(2), AT).duplicate == 1
    reopened.close()


def test_crash_after_the_batch_rename_before_the_segment_delete(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    journal = Journal.open(tmp_path / "log", inbox, **WINDOW)
    journal.commit(_rows(1, 2), AT)
    segment = segments(tmp_path / "log")[0]
    kept = tmp_path / "kept.log"
    shutil.copy(segment, kept)
    journal.close()
    shutil.copy(kept, segment)  # the segment is back, as if the delete never happened
    batch = batch_path(inbox, 1)
    written = batch.read_bytes()
    reopened = Journal.open(tmp_path / "log", inbox, **WINDOW)
    assert segments(tmp_path / "log") == [tmp_path / "log" / "000000000002.log"]
    assert batch.read_bytes() == written
    assert _stored(inbox) == ["live1", "live2"]
    reopened.close()


def test_one_server_per_workspace(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "log", tmp_path / "inbox", **WINDOW)
    with pytest.raises(ServeError, match="another `vigil serve` is using"):
        Journal.open(tmp_path / "log", tmp_path / "inbox", **WINDOW)
    journal.close()
    Journal.open(tmp_path / "log", tmp_path / "inbox", **WINDOW).close()


def test_ids_older_than_the_window_are_forgotten(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    journal = Journal.open(tmp_path / "log", inbox, **WINDOW)
    journal.commit(_rows(1), AT)
    journal.commit(_rows(2), AT + dt.timedelta(days=2))
    journal.roll(AT + dt.timedelta(days=8))
    assert journal.commit(_rows(1, 2), AT + dt.timedelta(days=8)).duplicate == 1
    journal.close()
    later = {"now": AT + dt.timedelta(days=9, hours=1), "dedupe": dt.timedelta(days=7)}
    reopened = Journal.open(tmp_path / "log", inbox, **later)
    again = reopened.commit(_rows(1, 2), AT + dt.timedelta(days=9))
    assert (again.accepted, again.duplicate) == (1, 1)  # 2 (day 2) expired, 1 (day 8) kept
    reopened.close()


def test_an_expired_entry_does_not_forget_a_newer_copy_of_the_id() -> None:
    ids = EventIds(dt.timedelta(days=1))
    ids.add(["a"], 5, AT)
    ids.expire(AT + dt.timedelta(days=2))
    ids.add(["a"], 9, AT + dt.timedelta(days=2))
    ids.add(["b"], 9, AT + dt.timedelta(days=2))
    assert ids.expire(AT + dt.timedelta(days=2, hours=1)) == 0
    assert (ids.lsn("a"), ids.lsn("b"), len(ids)) == (9, 9, 2)
