"""Polars expressions that turn a raw column (text or typed) into its canonical type.

Each parser returns the parsed expression; a value that was present but did not parse becomes null,
which validation reports as a bad value for that column.
"""

from __future__ import annotations

import polars as pl

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


def parse(column: Column, raw: str, dtype: pl.DataType) -> pl.Expr:
    """Expression parsing column ``raw`` (of ``dtype``) into ``column``'s canonical type."""
    src = pl.col(raw)
    if dtype == pl.String:
        return _from_text(column, src.str.strip_chars().replace("", None))
    return _from_typed(column, src, dtype)


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
