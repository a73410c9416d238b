"""Draw up the attention list for one day: gather the signals, rank, cap at the budget."""

from __future__ import annotations

import datetime as dt
import logging

import duckdb
import polars as pl

from vigil.attention import signals
from vigil.attention.ranking import attention_list, empty_signals
from vigil.config import VigilConfig
from vigil.errors import VigilError

log = logging.getLogger(__name__)


def draw_up(
    con: duckdb.DuckDBPyConnection,
    cfg: VigilConfig,
    day: dt.date | None = None,
    *,
    live: bool = True,
    pending: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every candidate of ``day`` (default: the latest day of data), ranked; ``in_budget`` marks
    the first ``attention.budget``. ``live`` adds the signals that have no per-day history
    (fleet tiers, dataset drift, pending patches): leave it off when replaying a past day."""
    day = day or signals.latest_day(con)
    if day is None:
        return attention_list(empty_signals(), cfg.attention.budget)
    parts = [signals.feature_signals(con, day, cfg.attention, cfg.risk.thresholds)]
    if live:
        parts += [
            signals.fleet_signals(con, cfg.attention),
            signals.drift_signals(con, cfg.attention),
            signals.patch_signals(pending if pending is not None else pending_patches(con, cfg)),
        ]
    found = pl.concat([p for p in parts if p.height] or [empty_signals()], how="vertical")
    settings = cfg.attention
    return attention_list(found, settings.budget, settings.rank_by, settings.features)


def current(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig, day: dt.date | None = None
) -> pl.DataFrame:
    """The list of ``day`` (default: the latest day of data) as the last run stored it, else
    drawn up now from the same tables (a warehouse the attention stage has not run on yet)."""
    from vigil.attention import store

    day = day or signals.latest_day(con)
    if day is None:
        return draw_up(con, cfg, day)
    stored = store.latest(con)
    if stored.height and stored["as_of_date"][0] == day:
        return stored
    return draw_up(con, cfg, day)


def pending_patches(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> pl.DataFrame:
    """Pending patches scored by the champion with the gate's decision; empty when there is no
    file or no model (the list then simply has no patch items)."""
    path = cfg.dashboard.pending_patches_path(cfg.root)
    if path is None or not path.is_file():
        return pl.DataFrame()
    try:
        from vigil.patches.scoring import score_patches

        scored = score_patches(pl.read_csv(path), cfg)
    except (VigilError, pl.exceptions.PolarsError, OSError) as exc:
        log.info("attention: pending patches not scored (%s)", exc)
        return pl.DataFrame()
    decision = pl.when(pl.col("risk") >= cfg.patches.gate.block).then(pl.lit("BLOCK"))
    scored = scored.with_columns(decision=decision.otherwise(pl.lit("PASS")))
    return _with_users(con, scored)


def _with_users(con: duckdb.DuckDBPyConnection, scored: pl.DataFrame) -> pl.DataFrame:
    """users_exposed of a patch = the latest users exposed of the features it touches."""
    if "touched_features" not in scored.columns or "feature_risk" not in signals.tables(con):
        return scored
    users = con.sql(
        "SELECT feature_id, users_exposed FROM feature_risk "
        "WHERE score_date = (SELECT max(score_date) FROM feature_risk)"
    ).pl()
    touched = (
        scored.with_row_index("_row")
        .select("_row", feature_id=pl.col("touched_features").cast(pl.Utf8).str.split(";"))
        .explode("feature_id")
        .join(users, on="feature_id", how="left")
        .group_by("_row")
        .agg(users_exposed=pl.col("users_exposed").sum())
    )
    return scored.with_row_index("_row").join(touched, on="_row", how="left").drop("_row")
