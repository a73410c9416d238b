"""Run one function call for many concurrent callers (leader / follower, like group commit).

Checking a request costs a fixed overhead (building and running the validation plan) on top of
its per-event work. Callers that arrive while a check runs queue up; the next free caller
becomes the leader and checks every queued request in one call, then hands each its own part.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class _Slot(Generic[T, R]):
    item: T
    done: bool = False
    result: R | None = None
    error: BaseException | None = field(default=None, repr=False)


class Coalescer(Generic[T, R]):
    """``submit(item)`` returns ``fn([... item ...])[position of item]``; fn runs one at a time."""

    def __init__(self, fn: Callable[[list[T]], list[R]]) -> None:
        self._fn = fn
        self._cond = threading.Condition()
        self._queue: list[_Slot[T, R]] = []
        self._leading = False

    def submit(self, item: T) -> R:
        """The result for ``item``, computed together with whatever else is queued."""
        slot: _Slot[T, R] = _Slot(item)
        batch: list[_Slot[T, R]] = []
        with self._cond:
            self._queue.append(slot)
            while self._leading and not slot.done:
                self._cond.wait()
            if not slot.done:
                self._leading = True
                batch, self._queue = self._queue, []
        if batch:
            self._lead(batch)
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _lead(self, batch: list[_Slot[T, R]]) -> None:
        try:
            results = self._fn([s.item for s in batch])
            for s, r in zip(batch, results, strict=True):
                s.result = r
        except BaseException as exc:  # every waiting caller gets the failure, none hangs
            for s in batch:
                s.error = exc
        finally:
            with self._cond:
                for s in batch:
                    s.done = True
                self._leading = False
                self._cond.notify_all()
