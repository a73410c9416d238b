"""Landing zone for event-grain telemetry: Parquet partitioned by event date.

File names are derived from the source file's content hash, so a run killed half-way and re-run
rewrites the same files instead of adding copies, and only files recorded in ``landing_file``
(written in the run's transaction) are ever read by the aggregation.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import polars as pl

from vigil.ingest.contracts import Contract
from vigil.ingest.reader import LINE, SourceFile

EVENT_DATE = "event_date"


def land_events(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    contract: Contract,
    source: SourceFile,
    valid: pl.DataFrame,
    run_id: str,
) -> tuple[int, int, list[dt.date]]:
    """Write new rows by day; returns (rows loaded, rows duplicate, dates touched)."""
    rows = valid.select(contract.names)
    unique = rows.unique(maintain_order=True)
    fresh = _drop_already_landed(con, contract, unique)
    duplicates = rows.height - fresh.height
    if fresh.is_empty():
        return 0, duplicates, []
    fresh = fresh.with_columns(pl.col("event_time").dt.date().alias(EVENT_DATE))
    dates: list[dt.date] = []
    for (day,), part in sorted(fresh.partition_by(EVENT_DATE, as_dict=True).items()):
        path = _write_partition(landing_dir, contract.input, day, source.content_hash, part)
        con.execute(
            "INSERT OR REPLACE INTO landing_file VALUES (?, ?, ?, ?, ?, ?)",
            [contract.input, day, str(path), source.content_hash, part.height, run_id],
        )
        dates.append(day)
    return fresh.height, duplicates, dates


def _drop_already_landed(
    con: duckdb.DuckDBPyConnection, contract: Contract, rows: pl.DataFrame
) -> pl.DataFrame:
    """Remove rows identical to rows landed earlier (late or re-sent data)."""
    if rows.is_empty():
        return rows
    days = rows.select(pl.col("event_time").dt.date().unique()).to_series().to_list()
    paths = [
        r[0]
        for r in con.execute(
            "SELECT path FROM landing_file WHERE input = ? AND event_date IN (SELECT unnest(?))",
            [contract.input, days],
        ).fetchall()
    ]
    if not paths:
        return rows
    existing = pl.read_parquet(paths, columns=contract.names)
    # Row hashes stand in for a many-column join; both sides are hashed in this process.
    seen = existing.hash_rows(seed=17).unique()
    return rows.filter(~rows.hash_rows(seed=17).is_in(seen.implode()))


def _write_partition(
    landing_dir: Path, input_name: str, day: dt.date, content_hash: str, part: pl.DataFrame
) -> Path:
    folder = landing_dir / input_name / f"{EVENT_DATE}={day.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{content_hash[:24]}.parquet"
    tmp = path.with_suffix(".parquet.tmp")
    part.drop(EVENT_DATE).write_parquet(tmp, compression="lz4", statistics=True)
    os.replace(tmp, path)
    return path


__all__ = ["EVENT_DATE", "LINE", "land_events"]
