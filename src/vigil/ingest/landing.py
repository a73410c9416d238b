"""Landing zone for event-grain telemetry: Parquet partitioned by event date.

File names are derived from the source file's content hash, so a run killed half-way and re-run
rewrites the same files instead of adding copies, and only files recorded in ``landing_file``
(written in the run's transaction) are ever read by the aggregation. Every file written is tracked
in a ``LandedFiles`` so the run can fsync them before its commit and delete them after a rollback.

A source Parquet file that already holds exactly the landed rows (canonical columns and types,
nothing quarantined, changed, repeated or landed before, one event date) is landed by copying its
bytes: the same rows, without decoding and re-encoding them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from vigil.ingest.contracts import Contract
from vigil.ingest.reader import LINE, SourceFile
from vigil.warehouse.connection import resolved_paths, stored_path

log = logging.getLogger(__name__)

EVENT_DATE = "event_date"
_SEED = 17


@dataclass
class LandedFiles:
    """Landing files written by one run: fsync'd before its commit, removed after a rollback."""

    paths: list[Path] = field(default_factory=list)

    def add(self, path: Path) -> None:
        self.paths.append(path)

    def sync(self) -> None:
        """Flush every written file and its folder (and the folders above it) to disk."""
        folders = {
            f for p in self.paths for f in (p.parent, p.parent.parent, p.parent.parent.parent)
        }
        for path in [*dict.fromkeys(self.paths), *sorted(folders, reverse=True)]:
            _fsync(path)

    def discard(self, con: duckdb.DuckDBPyConnection) -> list[Path]:
        """After a rollback: delete written files no committed ``landing_file`` row refers to."""
        if not self.paths:
            return []
        kept = {
            r[0]
            for r in con.execute(
                "SELECT path FROM landing_file WHERE path IN (SELECT unnest(?))",
                [[stored_path(con, p) for p in self.paths]],
            ).fetchall()
        }
        removed = [
            p for p in dict.fromkeys(self.paths) if stored_path(con, p) not in kept and p.exists()
        ]
        for path in removed:
            path.unlink()
            _remove_if_empty(path.parent)
        self.paths.clear()
        if removed:
            log.info("rolled back: removed %d landing file(s) of this run", len(removed))
        return removed


def remove_orphans(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> list[Path]:
    """Delete landing files no committed ``landing_file`` row refers to (left by a killed run).

    Files are matched on their last three path parts (input / event_date=... / name), so the check
    holds whether ``landing_file`` stores absolute or workspace-relative paths.
    """
    if not landing_dir.exists():
        return []
    rows = con.execute("SELECT path FROM landing_file").fetchall()
    known = {Path(r[0]).parts[-3:] for r in rows}
    orphans = [
        p
        for p in landing_dir.glob(f"*/{EVENT_DATE}=*/*")
        if p.is_file()
        and p.name.endswith((".parquet", ".parquet.tmp"))
        and p.parts[-3:] not in known
    ]
    for path in orphans:
        path.unlink()
        _remove_if_empty(path.parent)
    if orphans:
        log.info("removed %d landing file(s) left by an unfinished run", len(orphans))
    return orphans


def land_events(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    contract: Contract,
    source: SourceFile,
    valid: pl.DataFrame,
    run_id: str,
    *,
    written: LandedFiles,
    verbatim: bool = False,
) -> tuple[int, int, list[dt.date]]:
    """Write new rows by day; returns (rows loaded, rows duplicate, dates touched).

    ``verbatim`` says the source file holds exactly ``valid`` in canonical columns and types, so
    when every row is new and falls on one day the file is copied instead of re-encoded.
    """
    rows = valid.select(contract.names)
    hashes = rows.hash_rows(seed=_SEED)
    unique, hashes = _unique_rows(rows, hashes)
    fresh = _drop_already_landed(con, contract, unique, hashes)
    duplicates = rows.height - fresh.height
    if fresh.is_empty():
        return 0, duplicates, []
    days = fresh.get_column("event_time").dt.date()
    if verbatim and duplicates == 0 and days.n_unique() == 1:
        day = days[0]
        path = _copy_file(landing_dir, contract.input, day, source)
        _record(con, contract, day, path, source, fresh.height, run_id, written)
        return fresh.height, 0, [day]
    fresh = fresh.with_columns(days.alias(EVENT_DATE))
    dates: list[dt.date] = []
    for (day,), part in sorted(fresh.partition_by(EVENT_DATE, as_dict=True).items()):
        path = _write_partition(landing_dir, contract.input, day, source.content_hash, part)
        _record(con, contract, day, path, source, part.height, run_id, written)
        dates.append(day)
    return fresh.height, duplicates, dates


def _record(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    day: dt.date,
    path: Path,
    source: SourceFile,
    rows: int,
    run_id: str,
    written: LandedFiles,
) -> None:
    written.add(path)
    # A plain insert: the manifest skips a file whose content was loaded, so its key is new (and
    # DuckDB's upsert costs ~40 ms a row).
    con.execute(
        "INSERT INTO landing_file VALUES (?, ?, ?, ?, ?, ?)",
        [contract.input, day, stored_path(con, path), source.content_hash, rows, run_id],
    )


def _unique_rows(rows: pl.DataFrame, hashes: pl.Series) -> tuple[pl.DataFrame, pl.Series]:
    """Exact repeats removed (first kept, order kept); rows are compared only where hashes match."""
    if hashes.n_unique() == hashes.len():
        return rows, hashes  # no two hashes equal: no two rows equal (a count costs less)
    suspect = hashes.is_duplicated()
    index = pl.Series(LINE, range(rows.height), dtype=pl.Int64)
    candidates = rows.with_columns(index).filter(suspect)
    firsts = candidates.unique(subset=rows.columns, keep="first", maintain_order=True)
    keep = ~suspect | index.is_in(firsts.get_column(LINE).implode())
    return rows.filter(keep), hashes.filter(keep)


def _drop_already_landed(
    con: duckdb.DuckDBPyConnection, contract: Contract, rows: pl.DataFrame, hashes: pl.Series
) -> pl.DataFrame:
    """Remove rows identical to rows landed earlier (late or re-sent data)."""
    if rows.is_empty():
        return rows
    days = rows.select(pl.col("event_time").dt.date().unique()).to_series().to_list()
    paths = resolved_paths(
        con,
        [
            r[0]
            for r in con.execute(
                "SELECT path FROM landing_file "
                "WHERE input = ? AND event_date IN (SELECT unnest(?))",
                [contract.input, days],
            ).fetchall()
        ],
    )
    if not paths:
        return rows
    existing = pl.read_parquet(paths, columns=contract.names)
    seen = existing.hash_rows(seed=_SEED)
    suspect = hashes.is_in(seen.unique().implode())
    if not suspect.any():
        return rows
    # A matching hash is only a candidate: the rows themselves must be equal to count as landed.
    candidates = rows.filter(suspect)
    landed = existing.filter(seen.is_in(hashes.filter(suspect).implode())).unique()
    index = pl.Series(LINE, range(rows.height), dtype=pl.Int64).filter(suspect)
    matched = candidates.with_columns(index).join(
        landed, on=contract.names, how="semi", nulls_equal=True
    )
    return rows.filter(~pl.Series(range(rows.height)).is_in(matched.get_column(LINE).implode()))


def _folder(landing_dir: Path, input_name: str, day: dt.date) -> Path:
    folder = landing_dir / input_name / f"{EVENT_DATE}={day.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_partition(
    landing_dir: Path, input_name: str, day: dt.date, content_hash: str, part: pl.DataFrame
) -> Path:
    path = _folder(landing_dir, input_name, day) / f"{content_hash[:24]}.parquet"
    tmp = path.with_suffix(".parquet.tmp")
    part.drop(EVENT_DATE).write_parquet(tmp, compression="lz4", statistics=True)
    os.replace(tmp, path)
    return path


def _copy_file(landing_dir: Path, input_name: str, day: dt.date, source: SourceFile) -> Path:
    path = _folder(landing_dir, input_name, day) / f"{source.content_hash[:24]}.parquet"
    tmp = path.with_suffix(".parquet.tmp")
    shutil.copyfile(source.path, tmp)
    os.replace(tmp, path)
    return path


def _fsync(path: Path) -> None:
    """fsync a file or a folder (a folder's entry list is what makes a rename durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


__all__ = ["EVENT_DATE", "LINE", "LandedFiles", "land_events", "remove_orphans"]
