"""Which days are complete: a day is scored only once its events can all have arrived.

Day d ends at midnight (UTC) starting d + 1; events for it keep arriving for ``lateness_hours``
after that. So d is complete when ``now >= end of d + lateness_hours``; later days (the day still
arriving, and yesterday while late events may still come) are held back from scoring.
"""

from __future__ import annotations

import datetime as dt


def last_complete_day(now: dt.datetime, lateness_hours: float) -> dt.date:
    """The latest day whose volume is complete at ``now`` (naive UTC)."""
    return (now - dt.timedelta(hours=lateness_hours)).date() - dt.timedelta(days=1)
