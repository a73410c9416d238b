"""Gather every warning signal as of one day from the warehouse, as rows for the ranking.

Only data up to ``day`` is read: feature-risk scores of the latest score date on or before it,
anomalies of the look-back window ending on it, threshold crossings on it. The fleet, drift and
pending-patch signals describe the warehouse as it is (they have no per-day history); callers
replaying a past day leave them out or rebuild them as of that day first.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import duckdb
import polars as pl

from vigil.attention.ranking import SIGNAL_SCHEMA, empty_signals
from vigil.attention.settings import AttentionSettings
from vigil.risk.settings import DegradationThresholds

TIER_ORDER = ("act_now", "investigate", "watch")


def sql(name: str) -> str:
    """The text of ``attention/sql/<name>.sql``."""
    path = resources.files("vigil.attention") / "sql" / f"{name}.sql"
    return path.read_text(encoding="utf-8")


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables of the warehouse's main schema."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {r[0] for r in rows}


def _frame(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pl.DataFrame:
    return con.sql(sql(name), params=params or None).pl()


def latest_day(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The last day of feature data: the day the list is drawn up for."""
    if "fact_feature_daily" not in tables(con):
        return None
    row = con.execute("SELECT max(event_date) FROM fact_feature_daily").fetchone()
    return row[0] if row else None


def feature_inputs(
    con: duckdb.DuckDBPyConnection,
    day: dt.date,
    settings: AttentionSettings,
    thresholds: DegradationThresholds,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """Per feature on ``day``: name, users, risk score and crossings; and its recent anomalies."""
    have = tables(con)
    daily = _frame(
        con,
        "daily",
        day=day,
        latency_pct=(thresholds.latency_p95_ratio - 1.0) * 100.0,
        crash_pp=thresholds.crash_rate_increase_pp,
        feedback_drop=thresholds.feedback_drop,
    )
    risk = _frame(con, "risk", day=day) if "feature_risk" in have else None
    anomalies = (
        _frame(con, "anomalies", day=day, lookback=settings.lookback_days)
        if "feature_anomaly" in have
        else None
    )
    return _feature_base(daily, risk), anomalies


def feature_signals(
    con: duckdb.DuckDBPyConnection,
    day: dt.date,
    settings: AttentionSettings,
    thresholds: DegradationThresholds,
) -> pl.DataFrame:
    """Risk, anomaly and threshold-crossing signals of every feature as of ``day``."""
    if "fact_feature_daily" not in tables(con):
        return empty_signals()
    base, anomalies = feature_inputs(con, day, settings, thresholds)
    parts = [
        _risk_signals(base, settings),
        _anomaly_signals(base, anomalies, settings),
        _crossing_signals(base),
    ]
    found = [p for p in parts if p.height]
    return pl.concat(found, how="vertical") if found else empty_signals()


def _feature_base(daily: pl.DataFrame, risk: pl.DataFrame | None) -> pl.DataFrame:
    """Per feature: its name and users exposed (the risk score's, else 7-day active users)."""
    base = daily.with_columns(item_key=pl.col("feature_id"))
    if risk is None or risk.height == 0:
        return base.with_columns(
            users_exposed=pl.col("active_users_7d").cast(pl.Float64),
            risk=pl.lit(None, pl.Float64),
            tier=pl.lit(None, pl.Utf8),
            reason=pl.lit(None, pl.Utf8),
        )
    return base.join(risk, on="feature_id", how="left").with_columns(
        users_exposed=pl.coalesce("users_exposed", pl.col("active_users_7d")).cast(pl.Float64)
    )


def _signal(
    frame: pl.DataFrame, source: str, probability: pl.Expr, qualifies: pl.Expr, text: pl.Expr
) -> pl.DataFrame:
    return frame.select(
        item_key=pl.col("feature_id"),
        kind=pl.lit("feature"),
        title=pl.col("feature_name"),
        source=pl.lit(source),
        probability=probability.cast(pl.Float64),
        users_exposed=pl.col("users_exposed"),
        qualifies=qualifies,
        text=text,
    ).cast(SIGNAL_SCHEMA)  # type: ignore[arg-type]


def _risk_signals(base: pl.DataFrame, settings: AttentionSettings) -> pl.DataFrame:
    scored = base.filter(pl.col("risk").is_not_null())
    urgent = TIER_ORDER[: TIER_ORDER.index(settings.min_risk_tier) + 1]
    text = pl.format(
        "{} risk {}% ({})",
        pl.col("tier").str.replace("_", " "),
        (pl.col("risk") * 100).round(0).cast(pl.Int64),
        pl.col("reason"),
    )
    return _signal(scored, "risk", pl.col("risk"), pl.col("tier").is_in(urgent), text)


def _anomaly_signals(
    base: pl.DataFrame, anomalies: pl.DataFrame | None, settings: AttentionSettings
) -> pl.DataFrame:
    if anomalies is None or anomalies.height == 0:
        return empty_signals()
    hit = base.join(anomalies, on="feature_id", how="inner")
    text = pl.format(
        "{} anomal{} in {} days (strongest {}: {})",
        pl.col("n_anomalies"),
        pl.when(pl.col("n_anomalies") == 1).then(pl.lit("y")).otherwise(pl.lit("ies")),
        pl.lit(settings.lookback_days),
        pl.col("anomaly_date").dt.strftime("%b %-d"),
        pl.col("anomaly_message"),
    )
    return _signal(hit, "anomaly", pl.lit(None, pl.Float64), pl.lit(True), text)


def _crossing_signals(base: pl.DataFrame) -> pl.DataFrame:
    crossed = base.filter(
        pl.col("latency_crossed") | pl.col("crash_crossed") | pl.col("feedback_crossed")
    )
    parts = pl.concat_list(
        pl.when(pl.col("latency_crossed")).then(
            pl.format("p95 latency +{}%", pl.col("latency_p95_delta_pct").round(0).cast(pl.Int64))
        ),
        pl.when(pl.col("crash_crossed")).then(
            pl.format("crash rate +{} pp", pl.col("crash_rate_delta_pp").round(1))
        ),
        pl.when(pl.col("feedback_crossed")).then(
            pl.format("feedback {}", pl.col("feedback_delta").round(1))
        ),
    ).list.drop_nulls()
    text = pl.format("past a degradation threshold ({})", parts.list.join(", "))
    return _signal(crossed, "crossing", pl.lit(None, pl.Float64), pl.lit(True), text)


def fleet_signals(con: duckdb.DuckDBPyConnection, settings: AttentionSettings) -> pl.DataFrame:
    """One signal per firmware with device segments in the fleet's immediate tier."""
    if "fleet_risk" not in tables(con):
        return empty_signals()
    fleet = _frame(con, "fleet")
    text = pl.format(
        "{} device segment{} in the fleet's immediate tier (worst: {} at {}x the fleet's risk)",
        pl.col("segments"),
        pl.when(pl.col("segments") == 1).then(pl.lit("")).otherwise(pl.lit("s")),
        pl.col("worst_segment"),
        pl.col("weighted_risk").round(1),
    )
    return fleet.select(
        item_key=pl.format("firmware:{}", pl.col("firmware_version")),
        kind=pl.lit("firmware"),
        title=pl.format("firmware {}", pl.col("firmware_version")),
        source=pl.lit("fleet"),
        probability=pl.lit(settings.weights.fleet),
        users_exposed=pl.col("devices").cast(pl.Float64),
        qualifies=pl.lit(True),
        text=text,
    ).cast(SIGNAL_SCHEMA)  # type: ignore[arg-type]


def drift_signals(con: duckdb.DuckDBPyConnection, settings: AttentionSettings) -> pl.DataFrame:
    """One signal when the latest monitoring run found dataset drift."""
    if "drift_summary" not in tables(con):
        return empty_signals()
    drift = _frame(con, "drift").filter(pl.col("dataset_drift"))
    return drift.select(
        item_key=pl.lit("data:drift"),
        kind=pl.lit("data"),
        title=pl.lit("dataset drift"),
        source=pl.lit("drift"),
        probability=pl.lit(settings.weights.drift),
        users_exposed=pl.lit(None, pl.Float64),
        qualifies=pl.lit(True),
        text=pl.col("summary"),
    ).cast(SIGNAL_SCHEMA)  # type: ignore[arg-type]


def patch_signals(pending: pl.DataFrame) -> pl.DataFrame:
    """One signal for the CI gate when it blocks pending patches (the gate is one decision, so
    its patches share one item); its probability is the riskiest blocked patch's risk.

    ``pending`` holds ``patch_id`` (or ``firmware_version``), ``risk``, ``decision`` and, when
    known, ``users_exposed`` (users of the features each patch touches).
    """
    if pending.height == 0 or "decision" not in pending.columns:
        return empty_signals()
    key = "patch_id" if "patch_id" in pending.columns else "firmware_version"
    blocked = pending.filter(pl.col("decision") == "BLOCK").sort("risk", descending=True)
    if blocked.height == 0:
        return empty_signals()
    names = ", ".join(f"{k} ({r:.0%})" for k, r in blocked.head(3).select(key, "risk").iter_rows())
    more = f" and {blocked.height - 3} more" if blocked.height > 3 else ""
    users = blocked["users_exposed"].max() if "users_exposed" in blocked.columns else None
    row = {
        "item_key": "patch:gate",
        "kind": "patch",
        "title": "pending patches",
        "source": "patch",
        "probability": float(blocked["risk"].cast(pl.Float64).max() or 0.0),  # type: ignore[arg-type]
        "users_exposed": None if users is None else float(users),  # type: ignore[arg-type]
        "qualifies": True,
        "text": f"the CI gate blocks {blocked.height} of {pending.height} pending patches: "
        f"{names}{more}",
    }
    return pl.DataFrame([row], schema=SIGNAL_SCHEMA)
