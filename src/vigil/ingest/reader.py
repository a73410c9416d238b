"""Find an input's files and read one into a DataFrame, with a clear error when that is impossible.

CSV is read with every column as text (types are checked later, row by row, so one bad value
quarantines one row instead of failing the file). Parquet keeps its types.

A CSV record that cannot be split into the header's fields (too many, too few, a stray or
unterminated quote) is reported as broken with its line and a reason, and the rest of the file is
read on: the fast reader is used only when a quote-aware scan of the bytes shows every record is
well formed, otherwise a careful reader re-synchronises on the line after each broken record.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
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
    broken: list[Broken]
    """records that could not be split into the header's fields"""


@dataclass(frozen=True)
class Broken:
    """One CSV record that could not be read: where, why (reason code + words) and its text."""

    line: int
    reason: str
    detail: str
    text: str


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
    except pl.exceptions.ComputeError:
        return _read_csv_careful(path)
    lines = _record_lines(path.read_bytes(), frame.width)
    if lines is None or len(lines) != frame.height:
        return _read_csv_careful(path)
    return ReadResult(frame.with_columns(pl.Series(LINE, lines, dtype=pl.Int64)), [])


def _record_lines(data: bytes, width: int) -> np.ndarray | None:
    """Starting line of each data record, or None unless every record has ``width`` fields.

    Quote-aware without a parser: a byte is inside quotes when an odd number of quote bytes
    precede it (an escaped quote "" counts twice), so separators are the commas and newlines at
    even parity. A blank line, a wrong field count or an unbalanced quote all give None.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    if buf.size == 0:
        return None
    parity = np.bitwise_xor.accumulate(buf == ord('"'), dtype=np.uint8)
    if parity[-1]:
        return None
    outside = parity == 0
    newline = buf == ord("\n")
    ends = np.flatnonzero(newline & outside)
    if ends.size == 0 or ends[-1] != buf.size - 1:
        ends = np.append(ends, buf.size)
    starts = np.concatenate(([0], ends[:-1] + 1))
    if np.any(ends - starts - (buf[np.maximum(ends - 1, 0)] == ord("\r")) <= 0):
        return None
    commas = (buf == ord(",")) & outside
    fields = np.add.reduceat(commas, starts, dtype=np.int64) + 1
    if np.any(fields != width):
        return None
    all_newlines = np.flatnonzero(newline)
    return np.searchsorted(all_newlines, starts[1:]) + 1


def _read_csv_careful(path: Path) -> ReadResult:
    """Read record by record; a broken record is reported and reading resumes on its next line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text, expected CSV", file=path) from exc
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line + "\n" for line in lines]
    try:
        header = next(csv.reader(lines[:1], strict=True))
    except (csv.Error, StopIteration) as exc:
        raise InputError("not parsable as CSV (unreadable header)", file=path) from exc
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    broken: list[Broken] = []
    for line, record in _records(lines, len(header), broken):
        rows.append([v if v != "" else None for v in record])
        numbers.append(line)
    data = {name: [r[i] for r in rows] for i, name in enumerate(header)}
    frame = pl.DataFrame(data, schema={h: pl.String for h in header})
    frame = frame.with_columns(pl.Series(LINE, numbers, dtype=pl.Int64))
    return ReadResult(frame, sorted(broken, key=lambda b: b.line))


def _records(lines: list[str], width: int, broken: list[Broken]) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every good record after the header; broken ones go to ``broken``.

    A record spanning several lines (a quoted newline) is good only if it has the header's field
    count; otherwise its first line is reported as a quote problem and reading resumes after it.
    """
    next_line = 1  # index into lines; line numbers are index + 1
    while next_line < len(lines):
        base = next_line
        reader = csv.reader((lines[i] for i in range(base, len(lines))), strict=True)
        try:
            for record in reader:
                first, next_line = next_line, base + reader.line_num
                if not record:
                    continue  # blank line
                if len(record) == width:
                    yield first + 1, record
                    continue
                if next_line - first == 1:
                    detail = f"{len(record)} fields, header has {width}"
                    text = lines[first].rstrip("\r\n")
                    broken.append(Broken(first + 1, "bad_field_count", detail, text))
                    continue
                _quote_problem(broken, lines, first, "quoted field runs over several lines")
                next_line = first + 1
                break
        except csv.Error as exc:
            _quote_problem(broken, lines, next_line, str(exc))
            next_line += 1


def _quote_problem(broken: list[Broken], lines: list[str], index: int, why: str) -> None:
    detail = f"stray or unterminated quote ({why})"
    broken.append(Broken(index + 1, "bad_quote", detail, lines[index].rstrip("\r\n")))


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
