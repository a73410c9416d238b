"""Query helpers for the synth tests."""

from __future__ import annotations

from pathlib import Path

import duckdb


def telemetry_view(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """View `t`: every telemetry row with its partition date (`part`)."""
    glob = str(root / "data" / "telemetry" / "*" / "*.parquet")
    con.execute(
        f"CREATE OR REPLACE VIEW t AS SELECT *, CAST(date AS DATE) AS part "
        f"FROM read_parquet('{glob}', hive_partitioning = true)"
    )


def connect_telemetry(root: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with view `t` over a world's telemetry."""
    con = duckdb.connect()
    con.execute("SET threads = 1")
    telemetry_view(con, root)
    return con
