"""Reading the two samples `vigil drift` compares: one CSV or Parquet file each."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from vigil.errors import InputError

READERS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def read_sample(path: Path) -> pl.DataFrame:
    """A whole CSV / Parquet file as a frame; unusable files are one InputError naming them."""
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"unsupported file type '{path.suffix or '(none)'}' (use .csv or .parquet)", file=path
        )
    if not path.is_file():
        raise InputError("file not found (check the path)", file=path)
    try:
        if kind == "csv":
            return pl.read_csv(path, infer_schema_length=10_000, try_parse_dates=False)
        return pl.read_parquet(path)
    except pl.exceptions.NoDataError as exc:
        raise InputError("the file is empty (it needs a header and rows)", file=path) from exc
    except (pl.exceptions.PolarsError, OSError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot read as {kind}: {first_line}", file=path) from exc


def parse_columns(text: str | None) -> list[str] | None:
    """'a, b' -> ['a', 'b']; None stays None; an empty list is an error."""
    if text is None:
        return None
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise InputError("--columns is empty (give comma-separated column names)")
    return names


def parse_kinds(text: str | None) -> dict[str, str]:
    """'a=categorical,b=binary' -> {'a': 'categorical', 'b': 'binary'}."""
    if not text:
        return {}
    kinds: dict[str, str] = {}
    for part in text.split(","):
        name, sep, kind = part.partition("=")
        if not sep or not name.strip() or not kind.strip():
            raise InputError(f"--kinds item '{part.strip()}' is not column=kind")
        kinds[name.strip()] = kind.strip()
    return kinds
