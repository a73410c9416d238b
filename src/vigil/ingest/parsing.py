"""Polars expressions that turn a raw column (text or typed) into its canonical type.

Each parser returns the parsed expression; a value that was present but did not parse becomes null,
which validation reports as a bad value for that column. Text is stripped of surrounding whitespace
and an empty value is missing, unless ``text_is_clean`` showed that would change nothing; a column
already in its canonical type (and clean, for text) is used as it is.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from vigil.ingest.contracts import Column

_TRUE = ["true", "t", "1", "yes", "y"]
_FALSE = ["false", "f", "0", "no", "n"]
_TS_FORMATS_TZ = ("%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z")
_TS_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d")

DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "float": pl.Float64(),
    "int": pl.Int64(),
    "bool": pl.Boolean(),
    "timestamp": pl.Datetime("us"),
    "date": pl.Date(),
    "list": pl.List(pl.String()),
}


def parse(column: Column, raw: str, dtype: pl.DataType, *, clean: bool = False) -> pl.Expr:
    """Expression parsing column ``raw`` (of ``dtype``) into ``column``'s canonical type.

    ``clean``: the text column holds no empty value and no value with surrounding whitespace.
    """
    src = pl.col(raw)
    if is_identity(column, dtype, clean=clean):
        return src
    if dtype == pl.String:
        return _from_text(column, src if clean else src.str.strip_chars().replace("", None))
    return _from_typed(column, src, dtype)


def is_identity(column: Column, dtype: pl.DataType, *, clean: bool) -> bool:
    """True when parsing a column of ``dtype`` returns every value unchanged."""
    return dtype == DTYPES[column.kind] and (dtype != pl.String or clean)


@dataclass(frozen=True)
class TextShape:
    """What a text column's views tell without reading its strings."""

    clean: bool
    """stripping whitespace and turning "" into null would change no value"""
    longest: int
    """the longest value in bytes (0 when every value is null)"""


def text_shape(values: pl.Series) -> TextShape:
    """The ``TextShape`` of a String column, read straight from the Arrow string views Polars
    keeps: 16 bytes per value, its length, then the value itself up to 12 bytes, else its first 4
    bytes, buffer and offset. No string is built or copied.

    ``clean`` is conservative: every value's first and last byte are printable ASCII other than
    space (a column that fails it is simply stripped).
    """
    if values.null_count() == values.len():
        return TextShape(True, 0)
    if sys.byteorder != "little":  # the views are read as little-endian words
        longest = values.str.len_bytes().max()
        return TextShape(False, longest if isinstance(longest, int) else 0)
    arr = values.to_arrow(compat_level=pl.CompatLevel.newest())
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    present = values.is_not_null().to_numpy() if values.null_count() else None
    clean, longest, start = True, 0, 0
    for chunk in chunks:
        if not pa.types.is_string_view(chunk.type):
            lengths = pc.binary_length(chunk).fill_null(0).to_numpy()
            return TextShape(False, int(lengths.max()))  # not the layout read below: strip
        mask = None if present is None else present[start : start + len(chunk)]
        start += len(chunk)
        if len(chunk):
            part = _views_shape(chunk, mask)
            clean, longest = clean and part.clean, max(longest, part.longest)
    return TextShape(clean, longest)


def text_is_clean(values: pl.Series) -> bool:
    """True when stripping whitespace and turning "" into null would leave ``values`` unchanged."""
    return text_shape(values).clean


def _views_shape(arr: pa.Array, present: np.ndarray | None) -> TextShape:
    n = len(arr)
    buffers = arr.buffers()
    words = np.frombuffer(buffers[1], dtype=np.int32)[arr.offset * 4 : (arr.offset + n) * 4]
    words = words.reshape(n, 4)
    if present is not None:  # a null's view holds nothing to check
        words = words[present]
        if not len(words):
            return TextShape(True, 0)
    lengths = words[:, 0]
    shortest, longest = int(lengths.min()), int(lengths.max())
    if shortest == 0 or not _printable(words[:, 1] & 0xFF):  # first byte: view byte 4
        return TextShape(False, longest)
    if shortest == longest and longest <= 12:  # one length, inline: the last byte's place is known
        word, shift = divmod(longest - 1, 4)
        return TextShape(_printable((words[:, 1 + word] >> (8 * shift)) & 0xFF), longest)
    if longest > 12 and not _long_ends_printable(words, lengths, buffers[2:]):
        return TextShape(False, longest)
    if shortest > 12:
        return TextShape(True, longest)
    inline = lengths <= 12
    raw = words.view(np.uint8).reshape(-1)
    last = raw[np.arange(3, 16 * len(words), 16, dtype=np.int64) + np.minimum(lengths, 12)]
    return TextShape(_printable(last if longest <= 12 else last[inline]), longest)


def _long_ends_printable(words: np.ndarray, lengths: np.ndarray, data: list[pa.Buffer]) -> bool:
    """The last byte of every value longer than 12 bytes (kept in a data buffer) is printable."""
    buffers = [np.frombuffer(d, dtype=np.uint8) for d in data]
    joined = buffers[0] if len(buffers) == 1 else np.concatenate(buffers)
    starts = np.cumsum([0] + [b.size for b in buffers[:-1]], dtype=np.int64)
    long = lengths > 12
    if not long.all():
        words, lengths = words[long], lengths[long]
    ends = starts[words[:, 2]] + words[:, 3] + lengths - 1
    return _printable(joined[ends])


def _printable(first_or_last: np.ndarray) -> bool:
    """Every byte is printable ASCII other than space."""
    return bool(first_or_last.min() >= _FIRST_PRINTABLE and first_or_last.max() <= _LAST_PRINTABLE)


_FIRST_PRINTABLE, _LAST_PRINTABLE = 0x21, 0x7E


def _from_text(column: Column, src: pl.Expr) -> pl.Expr:
    kind = column.kind
    if kind == "str":
        return src
    if kind == "float":
        return src.cast(pl.Float64, strict=False)
    if kind == "int":
        as_float = src.cast(pl.Float64, strict=False)
        whole = as_float.is_finite() & (as_float == as_float.round(0))
        return pl.when(whole).then(as_float).otherwise(None).cast(pl.Int64, strict=False)
    if kind == "bool":
        low = src.str.to_lowercase()
        return (
            pl.when(low.is_in(_TRUE))
            .then(pl.lit(True))
            .when(low.is_in(_FALSE))
            .then(pl.lit(False))
            .otherwise(None)
        )
    if kind == "timestamp":
        return text_to_timestamp(src)
    if kind == "date":
        return text_to_timestamp(src).dt.date()
    return (
        src.str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def text_to_timestamp(src: pl.Expr) -> pl.Expr:
    """ISO-8601 text (with or without offset, 'Z' allowed) or epoch seconds / ms -> UTC naive."""
    text = src.str.replace(r"Z$", "+00:00")
    parsed = [
        text.str.to_datetime(
            fmt, strict=False, time_zone="UTC", time_unit="us"
        ).dt.replace_time_zone(None)
        for fmt in _TS_FORMATS_TZ
    ]
    parsed += [text.str.to_datetime(fmt, strict=False, time_unit="us") for fmt in _TS_FORMATS]
    digits = src.str.contains(r"^\d{9,13}$")
    epoch = src.cast(pl.Int64, strict=False)
    from_epoch = (
        pl.when(digits & (src.str.len_chars() <= 11))
        .then(pl.from_epoch(epoch, time_unit="s"))
        .when(digits)
        .then(pl.from_epoch(epoch, time_unit="ms"))
        .otherwise(None)
        .cast(pl.Datetime("us"))
    )
    return pl.coalesce([*parsed, from_epoch])


def _from_typed(column: Column, src: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    kind = column.kind
    if kind == "timestamp" and isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            src = src.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return src.cast(pl.Datetime("us"))
    if kind == "date" and isinstance(dtype, pl.Datetime):
        return src.dt.date()
    if kind == "list" and not isinstance(dtype, pl.List):
        return _from_text(column, src.cast(pl.String))
    if kind == "int" and dtype.is_float():
        whole = src.is_finite() & (src == src.round(0))
        return pl.when(whole).then(src).otherwise(None).cast(pl.Int64)
    if kind == "bool" and dtype.is_numeric():
        # Only 0 and 1 are booleans, as in text: a 7 is a bad value, not True.
        return pl.when(src == 1).then(pl.lit(True)).when(src == 0).then(pl.lit(False))
    if kind == "str" and isinstance(dtype, pl.Categorical | pl.Enum):
        return src.cast(pl.String)
    return src.cast(DTYPES[kind], strict=False)
