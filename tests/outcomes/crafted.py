"""A crafted warehouse for the outcomes tests: four deployments, one feature regressing after
one of them, and event-grain telemetry landed as one Parquet file.

Day 0 is 2026-03-01. DEP-1 (3.1) touches F1 on day 0 at 08:00, DEP-2 (3.2) touches F2 on day 1,
DEP-3 (3.0b) touched F1 on day -5, DEP-4 (2.9) touched F1 on day -20 (outside the 14-day window).
From day 0, 100 F1 events a day: 70 on 3.1, 10 on 3.2 (from day 1), the rest on 2.9; before day
0 all on 2.9. Every 5th event on 3.1 / 3.2 crashes from day 2 on; nothing else crashes.
The detector saw crash_rate anomalies on F1 on days 3, 4 and 6 (one episode) and day 20.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl

DAY0 = dt.date(2026, 3, 1)
WEIGHTS = {
    "intercept": -4.0,
    "touched": 3.0,
    "recency": 2.0,
    "dose": 1.0,
    "version_lift": 0.5,
    "exposure": 0.0,
    "strength": 0.5,
    "alone": 0.0,
    "best_split": 0.0,
}
"""fixed evidence weights for the tests (the shipped ones are refitted on tuning worlds): the
most recent touching release wins here"""
DEPLOYMENTS = [
    ("DEP-1", dt.datetime(2026, 3, 1, 8), "3.1", ["F1"]),
    ("DEP-2", dt.datetime(2026, 3, 2, 9), "3.2", ["F2"]),
    ("DEP-3", dt.datetime(2026, 2, 24, 9), "3.0b", ["F1"]),
    ("DEP-4", dt.datetime(2026, 2, 9, 9), "2.9", ["F1"]),
]
ANOMALY_DAYS = (3, 4, 6, 20)


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def events() -> pl.DataFrame:
    """F1 telemetry from day -12 to day 21, 100 events a day."""
    rows = []
    for d in range(-12, 22):
        for i in range(100):
            if d < 0:
                version = "2.9"
            elif i < 70:
                version = "3.1"
            elif i < 80 and d >= 1:
                version = "3.2"
            else:
                version = "2.9"
            crashed = d >= 2 and version in ("3.1", "3.2") and i % 5 == 0
            at = dt.datetime.combine(day(d), dt.time(12)) + dt.timedelta(seconds=i)
            rows.append((at, "F1", 100.0 + i, crashed, i % 3, None, version))
    return pl.DataFrame(
        rows,
        schema={
            "event_time": pl.Datetime("us"),
            "feature_id": pl.Utf8,
            "latency_ms": pl.Float64,
            "crashed": pl.Boolean,
            "error_count": pl.Int64,
            "feedback_score": pl.Float64,
            "app_version": pl.Utf8,
        },
        orient="row",
    )


def load(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Fill an in-memory warehouse with the crafted world."""
    path = folder / "events.parquet"
    frame = events()
    frame.write_parquet(path)
    for dep in DEPLOYMENTS:
        con.execute("INSERT INTO fact_deployment VALUES (?, ?, ?, 100.0, ?)", list(dep))
    for version, released in (("3.1", 0), ("3.2", 1), ("3.0b", -5), ("2.9", -20), ("3.3", 15)):
        con.execute(
            "INSERT INTO dim_release (firmware_version, release_date, error_rate_per_10k) "
            "VALUES (?, ?, ?)",
            [version, day(released), 12.5 if version == "2.9" else None],
        )
    for d in sorted({e.date() for e in frame["event_time"]}):
        con.execute(
            "INSERT INTO landing_file VALUES ('telemetry', ?, ?, 'hash', 100, 'r')", [d, str(path)]
        )
    for n in ANOMALY_DAYS:
        con.execute(
            "INSERT INTO feature_anomaly (feature_id, event_date, metric, kind, score) "
            "VALUES ('F1', ?, 'crash_rate', 'level_shift_up', 0.99)",
            [day(n)],
        )
    con.execute(
        "INSERT INTO feature_anomaly (feature_id, event_date, metric, kind, score) "
        "VALUES ('F1', ?, 'usage_count', 'drop', 0.99)",
        [day(5)],
    )
