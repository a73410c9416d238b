"""Evidence for every (episode, candidate release) pair.

- ``days_since``: rollout day to the episode's first day; ``touched``: the release touched the
  episode's feature (both from fact_deployment).
- From the landed event-grain telemetry (app_version per event), per episode day and version:
  events and bad events by the episode's metric. The versions *carrying* a release are the
  ones deployed at or after it (firmware history is linear: a defect stays in later builds).
  ``exposure``: their share of the feature's events during the episode. ``version_lift``
  (Gandalf's version split): the bad-event rate on them over the rate on the older versions
  during the episode (both shrunk towards the overall rate by PSEUDO_EVENTS). ``dose``: the
  correlation, day by day from ``pre_days`` before the rollout to the episode's end, of the
  feature's bad-event rate with their share of its events: positive when the anomaly grows as
  the release reaches more devices.
Without event-grain telemetry (daily input only) the three telemetry columns are null.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import polars as pl

from vigil.outcomes.settings import OutcomeSettings
from vigil.outcomes.sql_files import query
from vigil.warehouse.connection import resolved_paths

log = logging.getLogger(__name__)

PSEUDO_EVENTS = 20.0
"""both sides' bad-event rates are shrunk towards the episode's overall rate by this many events,
so a side with few events gives a lift near 1 (no evidence) rather than a noisy extreme"""
MIN_DOSE_DAYS = 4
"""fewer days with events than this: no dose-response"""
VERSION_SCHEMA: dict[str, type[pl.DataType]] = {
    "episode_id": pl.Utf8,
    "event_date": pl.Date,
    "app_version": pl.Utf8,
    "events": pl.Int64,
    "bad": pl.Int64,
    "rated": pl.Int64,
}


def candidates(
    con: duckdb.DuckDBPyConnection, episodes: pl.DataFrame, settings: OutcomeSettings
) -> pl.DataFrame:
    """Every deployment in the window before each episode, with its evidence columns."""
    with _registered(con, episodes):
        thresholds = query(con, "thresholds")
    batch = episodes.join(thresholds, on="episode_id", how="left")
    with _registered(con, batch):
        pairs = query(con, "candidates", {"window_days": settings.window_days})
        days = version_days(con, batch, settings)
    order = query(con, "version_order")
    pairs = pairs.with_columns(pl.col("days_since").cast(pl.Int32))
    return pairs.join(
        telemetry_evidence(episodes, pairs, days, order, settings),
        on=["episode_id", "deployment_id"],
        how="left",
    )


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, episodes: pl.DataFrame) -> Iterator[None]:
    """``episode_batch`` registered on the connection for the duration of a block."""
    con.register("episode_batch", episodes.to_arrow())
    try:
        yield
    finally:
        con.unregister("episode_batch")


def version_days(
    con: duckdb.DuckDBPyConnection, episodes: pl.DataFrame, settings: OutcomeSettings
) -> pl.DataFrame:
    """Events and bad events per episode x day x app version (empty without landed events);
    ``episode_batch`` (episodes with their latency_threshold) must be registered."""
    lead = settings.pre_days + settings.window_days
    first = episodes["start_date"].min() - dt.timedelta(days=lead)  # type: ignore[operator]
    files = query(con, "telemetry_files", {"first": first, "last": episodes["end_date"].max()})
    if files.height == 0:
        log.info("outcomes: no event-grain telemetry landed: no dose-response or version split")
        return pl.DataFrame(schema=VERSION_SCHEMA)
    params = {
        "files": resolved_paths(con, files["path"].to_list()),
        "pre_days": settings.pre_days,
        "window_days": settings.window_days,
    }
    return query(con, "version_days", params).cast(VERSION_SCHEMA)  # type: ignore[arg-type]


def telemetry_evidence(
    episodes: pl.DataFrame,
    pairs: pl.DataFrame,
    days: pl.DataFrame,
    order: pl.DataFrame,
    settings: OutcomeSettings,
) -> pl.DataFrame:
    """exposure, version_lift and dose per (episode_id, deployment_id)."""
    keys = pairs.select("episode_id", "deployment_id", "deployed_at")
    if days.height == 0:
        return keys.select(
            "episode_id",
            "deployment_id",
            dose=pl.lit(None, pl.Float64),
            version_lift=pl.lit(None, pl.Float64),
            exposure=pl.lit(None, pl.Float64),
        )
    grid = carrying(keys, days, order).join(
        episodes.select("episode_id", "start_date", "end_date"), on="episode_id"
    )
    return _split(grid).join(
        _dose(grid, settings.pre_days), on=["episode_id", "deployment_id"], how="left"
    )


def carrying(keys: pl.DataFrame, days: pl.DataFrame, order: pl.DataFrame) -> pl.DataFrame:
    """Per candidate x episode day: events, bad and rated events on every version (``all_*``)
    and on the versions that carry the release (``c_*``: deployed at or after it; firmware
    history is linear, so a defect a release brings stays in every later version)."""
    totals = days.group_by("episode_id", "event_date").agg(
        all_events=pl.col("events").sum(),
        all_bad=pl.col("bad").sum(),
        all_rated=pl.col("rated").sum(),
    )
    per_day = ["episode_id", "event_date"]
    tail = (
        days.join(order, on="app_version")
        .sort([*per_day, "version_deployed_at"], descending=[False, False, True])
        .with_columns(
            pl.col(c).cum_sum().over(per_day).alias(f"c_{c}") for c in ("events", "bad", "rated")
        )
        .select(*per_day, "version_deployed_at", "c_events", "c_bad", "c_rated")
        .sort("version_deployed_at")
    )
    grid = keys.join(totals, on="episode_id").sort("deployed_at")
    joined = grid.join_asof(
        tail,
        left_on="deployed_at",
        right_on="version_deployed_at",
        by=per_day,
        strategy="forward",
        check_sortedness=False,
    )
    return joined.with_columns(pl.col("c_events", "c_bad", "c_rated").fill_null(0))


def _split(grid: pl.DataFrame) -> pl.DataFrame:
    """Exposure and version lift over the episode's own days."""
    during = grid.filter(pl.col("event_date").is_between("start_date", "end_date"))
    sums = during.group_by("episode_id", "deployment_id").agg(
        pl.col("all_events", "all_bad", "all_rated", "c_events", "c_bad", "c_rated").sum()
    )
    prior = PSEUDO_EVENTS * pl.col("all_bad") / pl.col("all_rated")
    rate_c = (pl.col("c_bad") + prior) / (pl.col("c_rated") + PSEUDO_EVENTS)
    rate_o = (pl.col("all_bad") - pl.col("c_bad") + prior) / (
        pl.col("all_rated") - pl.col("c_rated") + PSEUDO_EVENTS
    )
    return sums.select(
        "episode_id",
        "deployment_id",
        version_lift=pl.when(pl.col("all_bad") > 0).then(rate_c / rate_o),
        exposure=pl.when(pl.col("all_events") > 0).then(pl.col("c_events") / pl.col("all_events")),
    )


def _dose(grid: pl.DataFrame, pre_days: int) -> pl.DataFrame:
    """corr(daily bad-event rate, the carrying versions' daily share of events) from
    ``pre_days`` before the rollout to the episode's end."""
    since = pl.col("deployed_at").dt.date() - pl.duration(days=pre_days)
    series = grid.filter((pl.col("event_date") >= since) & (pl.col("all_rated") > 0)).with_columns(
        share=pl.col("c_events") / pl.col("all_events"),
        rate=pl.col("all_bad") / pl.col("all_rated"),
    )
    out = (
        series.sort("episode_id", "deployment_id", "event_date")
        .group_by("episode_id", "deployment_id")
        .agg(n_days=pl.len(), dose=pl.corr("share", "rate"))
    )
    return out.select(
        "episode_id",
        "deployment_id",
        dose=pl.when((pl.col("n_days") >= MIN_DOSE_DAYS) & pl.col("dose").is_finite()).then("dose"),
    )
