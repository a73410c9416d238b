"""The day windows drift compares: the latest ``current_days`` against the days before them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vigil.monitoring.settings import DriftSettings

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Windows:
    """Half-open day windows (start, end] for the reference and the current sample."""

    reference_start: dt.date
    reference_end: dt.date
    current_end: dt.date

    @property
    def current_start(self) -> dt.date:
        return self.reference_end

    def as_dict(self) -> dict[str, dict[str, str]]:
        """First and last day (inclusive) of both windows."""
        return {
            "reference": {
                "first": str(self.reference_start + ONE_DAY),
                "last": str(self.reference_end),
            },
            "current": {"first": str(self.current_start + ONE_DAY), "last": str(self.current_end)},
        }


def plan_windows(first: dt.date, last: dt.date, settings: DriftSettings) -> Windows | None:
    """Current = the last ``current_days``; reference = up to ``reference_days`` before them.

    None when the data does not reach back past the current window.
    """
    reference_end = last - dt.timedelta(days=settings.current_days)
    if first > reference_end:
        return None
    start = max(reference_end - dt.timedelta(days=settings.reference_days), first - ONE_DAY)
    return Windows(reference_start=start, reference_end=reference_end, current_end=last)
