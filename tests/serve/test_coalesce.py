"""Concurrent requests are checked in one pass, and each gets exactly its own part back."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from polars.testing import assert_frame_equal
from tests.serve.data import event

from vigil.ingest.contracts import TELEMETRY_EVENTS
from vigil.serve.coalesce import Coalescer
from vigil.serve.events import EventRules, check_events, check_requests

RULES = EventRules(TELEMETRY_EVENTS, {}, max_length=256, max_latency_ms=600_000.0)
NOW = dt.datetime(2026, 3, 2)


def test_one_pass_equals_one_check_per_request() -> None:
    requests = [
        [event(1, event_id="a"), event(2, latency_ms=-1)],
        ["nope", event(3), event(4, crashed="x", event_id="b")],
        [event(5)],
    ]
    together = check_requests(requests, RULES, now=NOW, known={"F1", "F2"})
    alone = [check_events(r, RULES, now=NOW, known={"F1", "F2"}) for r in requests]
    assert len(together) == 3
    for got, want in zip(together, alone, strict=True):
        assert_frame_equal(got.valid, want.valid)
        assert got.rejected == want.rejected
    assert [r.index for r in together[1].rejected] == [0, 2]


def _wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.005)


def test_callers_queued_behind_a_running_call_share_the_next_one() -> None:
    calls: list[list[int]] = []
    release = threading.Event()

    def double(items: list[int]) -> list[int]:
        calls.append(list(items))
        if len(calls) == 1:
            release.wait(30)
        return [2 * i for i in items]

    coalescer: Coalescer[int, int] = Coalescer(double)
    results: dict[int, int] = {}

    def call(i: int) -> None:
        results[i] = coalescer.submit(i)

    first = threading.Thread(target=call, args=(1,))
    first.start()
    _wait_for(lambda: len(calls) == 1)
    rest = [threading.Thread(target=call, args=(i,)) for i in (2, 3, 4)]
    for t in rest:
        t.start()
    _wait_for(lambda: len(coalescer._queue) == 3)
    release.set()
    for t in [first, *rest]:
        t.join(30)
    assert calls[0] == [1]
    assert sorted(calls[1]) == [2, 3, 4] and len(calls) == 2
    assert results == {1: 2, 2: 4, 3: 6, 4: 8}


def test_a_failing_call_fails_every_caller_it_served() -> None:
    def broken(items: list[int]) -> list[int]:
        raise ValueError(f"bad batch of {len(items)}")

    coalescer: Coalescer[int, int] = Coalescer(broken)
    with pytest.raises(ValueError, match="bad batch of 1"):
        coalescer.submit(1)
    with pytest.raises(ValueError, match="bad batch of 1"):
        coalescer.submit(2)
