"""The event_ids a resend is checked against, remembered for a bounded window.

An id maps to the log position (LSN) of the record that stored it, so a resend is acknowledged
only once that record is durable. Ids received more than ``window`` ago are forgotten (memory grows
with one window of traffic, not forever); a resend after that is stored again, and `vigil run`'s
exact-row dedupe still drops a byte-identical event.
"""

from __future__ import annotations

import datetime as dt
from collections import deque

import polars as pl

RECOVERED = 0
"""the LSN of ids loaded from the inbox: already durable"""


class EventIds:
    """id -> (LSN, receive time), expired in receive order."""

    def __init__(self, window: dt.timedelta) -> None:
        self.window = window
        self._ids: dict[str, tuple[int, dt.datetime]] = {}
        self._order: deque[tuple[dt.datetime, list[str]]] = deque()

    def __len__(self) -> int:
        return len(self._ids)

    def lsn(self, event_id: str) -> int | None:
        """Where the id was stored, or None when it is not (or no longer) remembered."""
        found = self._ids.get(event_id)
        return None if found is None else found[0]

    def add(self, ids: list[str], lsn: int, at: dt.datetime) -> None:
        """Remember ``ids``, stored at ``lsn`` and received at ``at``."""
        for event_id in ids:
            self._ids[event_id] = (lsn, at)
        if ids:
            self._order.append((at, ids))

    def expire(self, now: dt.datetime) -> int:
        """Forget ids received before ``now - window``; returns how many."""
        cutoff, dropped = now - self.window, 0
        while self._order and self._order[0][0] < cutoff:
            at, ids = self._order.popleft()
            for event_id in ids:
                if self._ids.get(event_id, (0, None))[1] == at:
                    del self._ids[event_id]
                    dropped += 1
        return dropped

    def load(self, stored: pl.DataFrame, now: dt.datetime) -> None:
        """Remember the stored ids (columns event_id, received_at) still inside the window."""
        recent = (
            stored.drop_nulls("event_id")
            .filter(pl.col("received_at") >= now - self.window)
            .group_by("received_at", maintain_order=True)
            .agg("event_id")
            .sort("received_at")
        )
        for at, ids in recent.iter_rows():
            self.add(ids, RECOVERED, at)
