"""Find an input's files and read one into a DataFrame, with a clear error when that is impossible.

CSV is read with every column as text (types are checked later, row by row, so one bad value
quarantines one row instead of failing the file). Parquet keeps its types.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from vigil.errors import InputError

log = logging.getLogger(__name__)

LINE = "__line"
SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
_SNIFF_BYTES = 65_536


@dataclass(frozen=True)
class SourceFile:
    """One file of an input, with its content hash (the manifest's identity)."""

    path: Path
    format: str
    content_hash: str


@dataclass
class ReadResult:
    """Rows read from a file (all columns as found) plus rows too broken to split into fields."""

    frame: pl.DataFrame
    broken: list[tuple[int, str]]
    """(line, reason) of records whose field count does not match the header"""


def discover(path: Path, fmt: str = "auto") -> list[SourceFile]:
    """The files of an input: a single file, or every CSV / Parquet file under a folder."""
    if not path.exists():
        raise InputError("file not found", file=path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputError("folder holds no .csv or .parquet files", file=path)
    else:
        files = [path]
    return [SourceFile(p, _format_of(p, fmt), file_hash(p)) for p in files]


def _format_of(path: Path, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InputError("unknown file type (expected .csv or .parquet)", file=path)
    return found


def file_hash(path: Path) -> str:
    """sha256 of the file's bytes, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_source(source: SourceFile) -> ReadResult:
    """Read one file; raise InputError naming the file when it cannot be read at all."""
    if source.path.stat().st_size == 0:
        raise InputError("empty file (no header, no rows)", file=source.path)
    if source.format == "parquet":
        return ReadResult(_read_parquet(source.path), [])
    return _read_csv(source.path)


def _read_parquet(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars raises several unrelated types for corrupt files
        raise InputError(f"not a readable Parquet file ({_short(exc)})", file=path) from exc
    return frame.with_row_index(LINE, offset=1).with_columns(pl.col(LINE).cast(pl.Int64))


def _read_csv(path: Path) -> ReadResult:
    _check_text(path)
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except pl.exceptions.NoDataError as exc:
        raise InputError("empty file (no header, no rows)", file=path) from exc
    except pl.exceptions.ComputeError as exc:
        if "more fields" not in str(exc):
            raise InputError(f"not parsable as CSV ({_short(exc)})", file=path) from exc
        return _read_csv_ragged(path)
    # Line 1 is the header, so record i (0-based) sits on line i + 2.
    frame = frame.with_row_index(LINE, offset=2).with_columns(pl.col(LINE).cast(pl.Int64))
    return ReadResult(frame, [])


def _read_csv_ragged(path: Path) -> ReadResult:
    """Slow path for files with rows of the wrong width: keep the good rows, report the rest.

    Written by hand because no fast reader both keeps the bad records and their line numbers.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows: list[list[str | None]] = []
        lines: list[int] = []
        broken: list[tuple[int, str]] = []
        for record in reader:
            if len(record) != len(header):
                broken.append((reader.line_num, f"{len(record)} fields, header has {len(header)}"))
                continue
            rows.append([v if v != "" else None for v in record])
            lines.append(reader.line_num)
    data = {name: [r[i] for r in rows] for i, name in enumerate(header)}
    frame = pl.DataFrame(data, schema={h: pl.String for h in header})
    return ReadResult(frame.with_columns(pl.Series(LINE, lines, dtype=pl.Int64)), broken)


def _check_text(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if b"\x00" in head:
        raise InputError("binary file, expected CSV text", file=path)
    try:
        io.TextIOWrapper(io.BytesIO(head), encoding="utf-8").read()
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a multi-byte character cut at the sniff boundary is fine
            raise InputError("not UTF-8 text, expected CSV", file=path) from exc


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else exc.__class__.__name__
