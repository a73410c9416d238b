"""Landing zone for event-grain telemetry: Parquet partitioned by event date.

File names are derived from the source file's content hash, so a run killed half-way and re-run
rewrites the same files instead of adding copies, and only files recorded in ``landing_file``
(written in the run's transaction) are ever read by the aggregation. Every file written is tracked
in a ``LandedFiles`` so the run can fsync them before its commit and delete them after a rollback.

A source Parquet file that already holds exactly the landed rows (canonical columns and types,
nothing quarantined, changed, repeated or landed before, one event date) is landed by copying its
bytes: the same rows, without decoding and re-encoding them.

The ``landing_file`` rows of an input are read once into a ``LandingLog`` and the run's new rows
are written in one insert when the input is done (a warehouse round trip costs milliseconds, a
file's landing often less).
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
import numpy as np
import polars as pl

from vigil.ingest.contracts import Contract
from vigil.ingest.reader import LINE, SourceFile
from vigil.warehouse.connection import stored_path, stored_under, workspace_root

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


@dataclass
class LandingLog:
    """The ``landing_file`` rows of one run: read once per input, new ones written in one insert.

    Rows this run adds are seen by later files of the run at once (for the duplicate check) and
    reach the table on ``flush``, inside the run's transaction, before anything reads the table.
    """

    root: Path | None
    """the workspace folder stored paths are relative to (None: an in-memory warehouse)"""
    days: dict[tuple[str, dt.date], list[str]] = field(default_factory=dict)
    inputs: set[str] = field(default_factory=set)
    pending: list[tuple[str, dt.date, str, str, int, str]] = field(default_factory=list)

    @classmethod
    def of(cls, con: duckdb.DuckDBPyConnection) -> LandingLog:
        return cls(workspace_root(con))

    def paths(
        self, con: duckdb.DuckDBPyConnection, input_name: str, days: list[dt.date]
    ) -> list[str]:
        """Absolute paths of the files landed for ``input_name`` on ``days`` (earlier or now)."""
        if input_name not in self.inputs:
            rows = con.execute(
                "SELECT event_date, path FROM landing_file WHERE input = ?", [input_name]
            ).fetchall()
            for day, path in rows:
                self.days.setdefault((input_name, day), []).append(path)
            self.inputs.add(input_name)
        stored = [p for d in days for p in self.days.get((input_name, d), [])]
        return [str(self.root / p) if self.root is not None else p for p in stored]

    def add(
        self, input_name: str, day: dt.date, path: Path, content_hash: str, rows: int, run_id: str
    ) -> None:
        stored = stored_under(self.root, path)
        self.days.setdefault((input_name, day), []).append(stored)
        self.pending.append((input_name, day, stored, content_hash, rows, run_id))

    def flush(self, con: duckdb.DuckDBPyConnection) -> None:
        """Insert the rows added since the last flush."""
        if not self.pending:
            return
        names = ["input", "event_date", "path", "content_hash", "rows", "run_id"]
        frame = pl.DataFrame(
            self.pending,
            schema={
                "input": pl.String,
                "event_date": pl.Date,
                "path": pl.String,
                "content_hash": pl.String,
                "rows": pl.Int64,
                "run_id": pl.String,
            },
            orient="row",
        )
        con.register("new_landing_files", frame)
        try:
            con.execute(
                f"INSERT INTO landing_file ({', '.join(names)}) "
                f"SELECT {', '.join(names)} FROM new_landing_files"
            )
        finally:
            con.unregister("new_landing_files")
        self.pending.clear()


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
    recorded: LandingLog,
    verbatim: bool = False,
) -> tuple[int, int, list[dt.date]]:
    """Write new rows by day; returns (rows loaded, rows duplicate, dates touched).

    ``verbatim`` says the source file holds exactly ``valid`` in canonical columns and types, so
    when every row is new and falls on one day the file is copied instead of re-encoded.
    """
    rows = valid.select(contract.names)
    unique, hashes = _without_repeats(rows)
    fresh = _drop_already_landed(con, contract, unique, hashes, recorded)
    duplicates = rows.height - fresh.height
    if fresh.is_empty():
        return 0, duplicates, []
    one_day = _single_day(fresh)
    if verbatim and duplicates == 0 and one_day is not None:
        path = _copy_file(landing_dir, contract.input, one_day, source)
        _record(contract, one_day, path, source, fresh.height, run_id, written, recorded)
        return fresh.height, 0, [one_day]
    fresh = fresh.with_columns(pl.col("event_time").dt.date().alias(EVENT_DATE))
    dates: list[dt.date] = []
    for (day,), part in sorted(fresh.partition_by(EVENT_DATE, as_dict=True).items()):
        path = _write_partition(landing_dir, contract.input, day, source.content_hash, part)
        _record(contract, day, path, source, part.height, run_id, written, recorded)
        dates.append(day)
    return fresh.height, duplicates, dates


def _record(
    contract: Contract,
    day: dt.date,
    path: Path,
    source: SourceFile,
    rows: int,
    run_id: str,
    written: LandedFiles,
    recorded: LandingLog,
) -> None:
    written.add(path)
    # The manifest skips a file whose content was loaded, so its key is new.
    recorded.add(contract.input, day, path, source.content_hash, rows, run_id)


def _row_hash(rows: pl.DataFrame) -> pl.Series:
    """A hash per row over its non-text columns (equal rows hash equal; equal hashes are only
    candidates, compared whole). Hashing numbers and timestamps costs a fraction of hashing text,
    and event rows rarely share all of them unless they are repeats."""
    typed = [name for name, dtype in rows.schema.items() if dtype != pl.String]
    return rows.select(typed or rows.columns).hash_rows(seed=_SEED)


def _single_day(rows: pl.DataFrame) -> dt.date | None:
    """The one event date of all rows, or None when they span several (min and max suffice)."""
    times = rows.get_column("event_time")
    first, last = times.min(), times.max()
    if isinstance(first, dt.datetime) and isinstance(last, dt.datetime):
        return first.date() if first.date() == last.date() else None
    return None


def _days(rows: pl.DataFrame) -> list[dt.date]:
    day = _single_day(rows)
    if day is not None:
        return [day]
    return rows.select(pl.col("event_time").dt.date().unique()).to_series().to_list()


def _without_repeats(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series | None]:
    """Exact repeats removed, with the row hashes (None when no hashing was needed)."""
    times = rows.get_column("event_time").to_physical().to_numpy()
    if times.size < 2 or bool(np.all(times[1:] > times[:-1])):
        return rows, None  # strictly increasing times: no two rows are equal (no hash needed)
    return _unique_rows(rows, _row_hash(rows))


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
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    rows: pl.DataFrame,
    hashes: pl.Series | None,
    recorded: LandingLog,
) -> pl.DataFrame:
    """Remove rows identical to rows landed earlier (late or re-sent data)."""
    if rows.is_empty():
        return rows
    paths = recorded.paths(con, contract.input, _days(rows))
    if not paths:
        return rows
    hashes = _row_hash(rows) if hashes is None else hashes
    existing = pl.read_parquet(paths, columns=contract.names)
    seen = _row_hash(existing)
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
