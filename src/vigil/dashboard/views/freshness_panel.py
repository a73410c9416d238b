"""Panel: live-ingest freshness on the overview (last event received, events per minute).

Read from the status file `vigil serve` writes (vigil.serve.freshness), not from the warehouse:
it shows what the endpoint is receiving now, before any `vigil run`. Nothing is drawn for a
workspace where the endpoint never ran. The panel redraws itself every REFRESH seconds.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from vigil.dashboard.source import Source
from vigil.serve.freshness import RATE_MINUTES, Freshness, read_freshness, status_path

REFRESH = dt.timedelta(seconds=10)


def render(source: Source) -> None:
    """The live-ingest tiles, when `vigil serve` has run for this workspace."""
    if status_path(source.cfg).is_file():
        _live(source)


@st.fragment(run_every=REFRESH)
def _live(source: Source) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    fresh = read_freshness(source.cfg, now)
    if fresh is None:
        return
    st.subheader("Live ingest")
    last, rate, state = tiles(fresh, now)
    cols = st.columns(3)
    cols[0].metric("Last event received", last)
    cols[1].metric("Events per minute", rate, help=f"mean of the last {RATE_MINUTES} whole minutes")
    cols[2].metric("Endpoint", state)
    if fresh.per_minute["events"].sum() > 0:
        st.bar_chart(fresh.per_minute.to_pandas(), x="minute", y="events", height=140)


def tiles(fresh: Freshness, now: dt.datetime) -> tuple[str, str, str]:
    """The three tile values as words: how long ago, the rate, and whether the endpoint runs."""
    last = "never" if fresh.last_event_at is None else f"{ago(now - fresh.last_event_at)} ago"
    state = "running" if fresh.server_running else f"stopped ({ago(now - fresh.status_at)} ago)"
    return last, f"{fresh.events_per_minute:,.1f}", state


def ago(span: dt.timedelta) -> str:
    """A duration in the largest whole unit: 42 s, 5 min, 3 h, 2 d."""
    seconds = max(int(span.total_seconds()), 0)
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"
