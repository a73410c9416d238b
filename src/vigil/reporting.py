"""Read-side of run bookkeeping: run history and quarantine, for the CLI and the dashboard."""

from __future__ import annotations

from typing import Any

import duckdb


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def run_history(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict[str, Any]]:
    """Past runs, newest first; runs started at the same instant (a pinned ``as_of`` clock) in
    the order they were recorded."""
    sql = "SELECT * FROM run_history ORDER BY started_at DESC, rowid DESC LIMIT ?"
    return _rows(con, sql, [limit])


def quarantine_summary(
    con: duckdb.DuckDBPyConnection, run_id: str | None = None
) -> list[dict[str, Any]]:
    """Quarantined failures counted by input and reason."""
    return _rows(
        con,
        "SELECT input, reason, count(*) AS n FROM quarantine "
        "WHERE ? IS NULL OR run_id = ? GROUP BY ALL ORDER BY n DESC",
        [run_id, run_id],
    )


def quarantine_rows(
    con: duckdb.DuckDBPyConnection, run_id: str | None, limit: int
) -> list[dict[str, Any]]:
    """The first quarantined failures, in file and line order."""
    return _rows(
        con,
        "SELECT source_file, line, column_name, value, reason, detail FROM quarantine "
        "WHERE ? IS NULL OR run_id = ? ORDER BY source_file, line LIMIT ?",
        [run_id, run_id, limit],
    )
