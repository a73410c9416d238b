"""Writing the world: CSV tables and one Parquet file per day partition, byte-for-byte stable."""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from vigil.errors import InputError

log = logging.getLogger(__name__)
NO_DICTIONARY = frozenset({"session_id", "event_time", "latency_ms"})


def prepare(out_dir: Path) -> tuple[Path, Path]:
    """Create data/ and truth/ under ``out_dir``; clear old day partitions so re-runs match."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("the output path is a file; pass a folder with --out", file=out_dir)
    data, truth = out_dir / "data", out_dir / "truth"
    for name in ("telemetry", "device_events"):
        for part in sorted((data / name).glob("date=*")):
            shutil.rmtree(part)
    try:
        data.mkdir(parents=True, exist_ok=True)
        truth.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder ({exc.strerror})", file=out_dir) from exc
    return data, truth


def write_csv(frame: pl.DataFrame, path: Path) -> Path:
    """One CSV with ISO dates and 'YYYY-MM-DD HH:MM:SS' timestamps; empty cells for nulls."""
    frame.write_csv(path, date_format="%Y-%m-%d", datetime_format="%Y-%m-%d %H:%M:%S")
    log.debug("wrote %s (%d rows)", path, frame.height)
    return path


def write_partition(table: pa.Table, root: Path, day: date) -> Path:
    """root/date=YYYY-MM-DD/part-0.parquet (dictionary encoding only for low-cardinality columns:
    near-unique ids such as session_id only cost time in a dictionary)."""
    folder = root / f"date={day.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "part-0.parquet"
    dictionary = [c for c in table.column_names if c not in NO_DICTIONARY]
    pq.write_table(table, path, compression="zstd", use_dictionary=dictionary)
    return path
