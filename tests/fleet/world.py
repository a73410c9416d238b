"""A hand-built fleet in an in-memory warehouse: a few devices, events and tickets."""

from __future__ import annotations

import datetime as dt

import duckdb

from vigil.fleet.build import ensure_fleet_schema
from vigil.warehouse.connection import memory_warehouse

DAY0 = dt.date(2026, 3, 1)


def at(day: int, hour: int = 12) -> dt.datetime:
    """Noon (or ``hour``) on day ``day`` after DAY0."""
    return dt.datetime.combine(DAY0 + dt.timedelta(days=day), dt.time(hour))


def warehouse() -> duckdb.DuckDBPyConnection:
    """The full schema plus the fleet tables, empty."""
    con = memory_warehouse()
    ensure_fleet_schema(con)
    return con


def add_devices(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, dt.date | None]]
) -> None:
    con.executemany("INSERT INTO dim_device VALUES (?, ?, ?, 'eu')", [list(r) for r in rows])


def add_events(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[str, dt.datetime, str, str]]
) -> None:
    """(device_id, event_time, firmware_version, error_code)."""
    con.executemany(
        "INSERT INTO raw_device_event VALUES (?, ?, ?, ?, 'high', NULL, 'eu')",
        [list(r) for r in rows],
    )


def add_tickets(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, dt.datetime, str | None, bool]]
) -> None:
    """(ticket_id, device_id, created_at, error_code, is_rma)."""
    con.executemany(
        "INSERT INTO raw_support_ticket VALUES (?, ?, ?, ?, ?)", [list(r) for r in rows]
    )
