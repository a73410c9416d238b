"""The default engine: DuckDB, embedded, reading the landed Parquet files directly."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

import duckdb

from vigil.engine.base import BASE_COLUMNS


def daily_metrics_sql(events: str) -> str:
    """The aggregation query over ``events`` (a table name or a scan expression)."""
    text = (resources.files("vigil.engine") / "sql" / "daily_metrics.sql").read_text("utf-8")
    return text.replace("{events}", events)


class DuckDBEngine:
    """Runs the aggregation inside the warehouse's own DuckDB process."""

    name = "duckdb"

    def write_daily_metrics(
        self, con: duckdb.DuckDBPyConnection, event_files: Sequence[str], target: str
    ) -> int:
        if not event_files:
            return 0
        before = con.execute(f"SELECT count(*) FROM {target}").fetchall()[0]
        query = daily_metrics_sql("read_parquet($files)")
        cols = ", ".join(BASE_COLUMNS)
        con.execute(f"INSERT INTO {target} ({cols}) {query}", {"files": list(event_files)})
        after = con.execute(f"SELECT count(*) FROM {target}").fetchall()[0]
        return int(after[0]) - int(before[0]) if after and before else 0
