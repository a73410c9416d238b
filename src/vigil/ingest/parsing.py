"""Polars expressions that turn a raw column (text or typed) into its canonical type.

Each parser returns the parsed expression; a value that was present but did not parse becomes null,
which validation reports as a bad value for that column. Text is stripped of surrounding whitespace
and an empty value is missing, unless ``text_is_clean`` showed that would change nothing; a column
already in its canonical type (and clean, for text) is used as it is.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

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


def text_is_clean(values: pl.Series) -> bool:
    """True when stripping whitespace and turning "" into null would leave ``values`` unchanged.

    Conservative and cheap (no string is built or copied): every value's first and last byte are
    printable ASCII other than space. Read straight from the Arrow string views Polars keeps (a
    16-byte view per value: length, then the value itself up to 12 bytes, else its first 4 bytes,
    buffer and offset). A column that fails it is simply stripped.
    """
    if values.null_count() == values.len():
        return True
    arr = values.to_arrow(compat_level=pl.CompatLevel.newest())
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if not all(pa.types.is_string_view(c.type) for c in chunks):
        return False  # not the layout read below: strip to be safe
    present = values.is_not_null().to_numpy() if values.null_count() else None
    start = 0
    for chunk in chunks:
        mask = None if present is None else present[start : start + len(chunk)]
        start += len(chunk)
        if len(chunk) and not _views_clean(chunk, mask):
            return False
    return True


def _views_clean(arr: pa.Array, present: np.ndarray | None) -> bool:
    n = len(arr)
    buffers = arr.buffers()
    raw = np.frombuffer(buffers[1], dtype=np.uint8)[arr.offset * 16 : (arr.offset + n) * 16]
    words = raw.view(np.int32).reshape(n, 4)
    lengths = words[:, 0]
    first = raw[4::16]
    short = np.minimum(lengths, 12)
    last = raw[np.arange(3, 16 * n, 16, dtype=np.int64) + np.maximum(short, 1)]
    long = np.flatnonzero(lengths > 12)
    if long.size:  # a long value's last byte is in a data buffer
        last = last.copy()
        for index, data in enumerate(buffers[2:]):
            rows = long[words[long, 2] == index]
            if rows.size:
                bytes_ = np.frombuffer(data, dtype=np.uint8)
                last[rows] = bytes_[words[rows, 3] + lengths[rows] - 1]
    if present is not None:  # a null's view holds nothing to check
        lengths, first, last = lengths[present], first[present], last[present]
    if not lengths.size:
        return True
    return bool(
        lengths.min() > 0
        and first.min() >= _FIRST_PRINTABLE
        and first.max() <= _LAST_PRINTABLE
        and last.min() >= _FIRST_PRINTABLE
        and last.max() <= _LAST_PRINTABLE
    )


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
