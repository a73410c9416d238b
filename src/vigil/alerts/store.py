"""Tables ``alert_state`` (one row per dedup key) and ``alert_log`` (every notice): written by
:mod:`vigil.alerts.notify`, read by the CLI and the dashboard through the functions here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from vigil.alerts.alert import Alert
from vigil.alerts.dedup import State
from vigil.alerts.rules import sql
from vigil.warehouse.connection import scalar

RECENT_COLUMNS = (
    "evaluated_at",
    "rule",
    "subject",
    "severity",
    "action",
    "destination",
    "outcome",
    "attempts",
    "status_code",
    "error",
    "message",
    "dedup_key",
    "delivered_at",
)


@dataclass(frozen=True)
class LogRow:
    """One notice of one alert to one destination (or to none)."""

    action: str
    alert: Alert
    opened_at: dt.datetime
    outcome: str
    """delivered | failed | dry_run | held | not_routed"""
    destination: str | None = None
    attempts: int = 0
    status_code: int | None = None
    error: str | None = None
    delivered_at: dt.datetime | None = None


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create both tables if missing (idempotent)."""
    con.execute(sql("schema"))


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    found = scalar(
        con,
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name = ?",
        [table],
    )
    return bool(found)


def load_states(con: duckdb.DuckDBPyConnection) -> dict[str, State]:
    """Every key's state; empty before the first alert run."""
    if not _has(con, "alert_state"):
        return {}
    out = {}
    for r in con.sql(sql("state")).pl().iter_rows(named=True):
        alert = Alert(r["rule"], r["subject"], r["severity"], r["message"], r["label"] or "")
        out[r["dedup_key"]] = State(
            alert,
            r["status"],
            r["notified"],
            r["opened_at"],
            r["last_notified_at"],
            r["resolved_at"],
        )
    return out


def save_state(con: duckdb.DuckDBPyConnection, state: State, now: dt.datetime) -> None:
    """Insert or replace one key's state."""
    a = state.alert
    con.execute(
        sql("upsert_state"),
        [
            a.dedup_key,
            a.rule,
            a.subject,
            a.label or None,
            a.severity,
            a.message,
            state.status,
            state.notified,
            state.opened_at,
            state.last_notified_at,
            state.resolved_at,
            now,
        ],
    )


def append_log(
    con: duckdb.DuckDBPyConnection, rows: list[LogRow], run_id: str | None, now: dt.datetime
) -> None:
    """Append notices to ``alert_log``."""
    for r in rows:
        a = r.alert
        con.execute(
            sql("insert_log"),
            [
                run_id,
                now,
                a.rule,
                a.subject,
                a.severity,
                a.dedup_key,
                r.action,
                r.destination,
                r.attempts,
                r.outcome,
                r.status_code,
                r.error,
                a.message,
                r.opened_at,
                r.delivered_at,
            ],
        )


def recent(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pl.DataFrame:
    """The latest ``limit`` notices, newest first, with their delivery outcome."""
    if not _has(con, "alert_log"):
        return pl.DataFrame(schema=dict.fromkeys(RECENT_COLUMNS, pl.Utf8))
    return con.sql(sql("recent"), params={"limit": limit}).pl()


def open_alerts(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Keys firing now, most urgent first."""
    if not _has(con, "alert_state"):
        return pl.DataFrame()
    return con.sql(sql("open_alerts")).pl()
