"""The two cohorts' events from the landed telemetry, over the same window.

Both versions run side by side, so comparing them over the window in which both sent events
holds the day, the load and the season fixed: a bad day hurts both cohorts alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from vigil.canary.store import sql
from vigil.errors import InputError
from vigil.warehouse.connection import resolved_paths


@dataclass(frozen=True)
class Cohorts:
    """The events of each version inside the judging window."""

    baseline: pl.DataFrame
    candidate: pl.DataFrame
    start: dt.datetime
    end: dt.datetime


def load_cohorts(
    con: duckdb.DuckDBPyConnection,
    versions: tuple[str, str],
    now: dt.datetime,
    window_days: int,
    feature_id: str | None = None,
) -> Cohorts:
    """Events of (baseline, candidate) in the last ``window_days`` (ending at ``now``) of the
    period in which both versions sent events. Raises InputError when they never overlap."""
    baseline, candidate = versions
    if baseline == candidate:
        raise InputError(f"baseline and candidate are the same version ({baseline})")
    paths = _paths(con, None)
    params = {"baseline": baseline, "candidate": candidate, "feature_id": feature_id}
    spans = con.sql(sql("spans"), params=params | {"paths": paths}).pl()
    seen = {r["app_version"]: r for r in spans.iter_rows(named=True)}
    scope = f" on feature {feature_id}" if feature_id else ""
    missing = [v for v in versions if v not in seen]
    if missing:
        raise InputError(
            f"no landed telemetry events from app_version {', '.join(missing)}{scope} "
            "(check the version names, or run 'vigil run' to land the telemetry)"
        )
    start = max(seen[baseline]["first_seen"], seen[candidate]["first_seen"])
    end = min(seen[baseline]["last_seen"], seen[candidate]["last_seen"], now)
    if start > end:
        raise InputError(
            f"{baseline} and {candidate} never ran at the same time{scope} before "
            f"{now:%Y-%m-%d %H:%M}: a canary compares concurrent cohorts"
        )
    start = max(start, end - dt.timedelta(days=window_days))
    window = {"paths": _paths(con, start.date()), "start": start, "end": end}
    events = con.sql(sql("events"), params=params | window).pl()
    by_version = events.partition_by("app_version", as_dict=True)
    empty = events.clear()
    return Cohorts(
        by_version.get((baseline,), empty), by_version.get((candidate,), empty), start, end
    )


def _paths(con: duckdb.DuckDBPyConnection, first_day: dt.date | None) -> list[str]:
    rows = con.sql(sql("landed"), params={"first_day": first_day}).fetchall()
    if not rows:
        raise InputError(
            "no event-level telemetry has been landed (the canary needs events with "
            "app_version: run 'vigil run' on event-grain telemetry first)"
        )
    return resolved_paths(con, [r[0] for r in rows])


def newest_pair(
    con: duckdb.DuckDBPyConnection, now: dt.datetime, window_days: int, min_events: int
) -> tuple[str, str] | None:
    """(baseline, candidate) for a canary on the latest data: the newest version with at least
    ``min_events`` events in the window, against the busiest version that appeared before it.
    None when fewer than two versions have enough events."""
    start = now - dt.timedelta(days=window_days)
    params = {"paths": _paths(con, start.date()), "start": start, "end": now}
    found = con.sql(sql("versions"), params=params | {"min_events": min_events}).pl()
    if found.height < 2:
        return None
    candidate = found.row(0, named=True)
    older = found.slice(1).sort("events", descending=True)
    return str(older["app_version"][0]), str(candidate["app_version"])
