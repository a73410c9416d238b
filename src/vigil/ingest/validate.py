"""Row-level validation against a contract. Every failure is collected, none stops the file.

The result splits a file's rows into valid typed rows and a failure-case table (one row per failed
check: line, column, value, reason code, detail) that goes to quarantine. A row with any failure is
quarantined whole; its other failures are still listed so the fix can be made in one pass.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from vigil.errors import MissingColumnsError
from vigil.ingest.contracts import Column, Contract
from vigil.ingest.parsing import DTYPES, is_identity, parse, text_shape
from vigil.ingest.reader import LINE, Broken

RAW = "__raw__"
DEFAULT_MAX_LENGTH = 256
DEFAULT_MIN_TIMESTAMP = dt.datetime(2000, 1, 1)

FAILURE_SCHEMA = {
    "line": pl.Int64,
    "column_name": pl.String,
    "value": pl.String,
    "reason": pl.String,
    "detail": pl.String,
}

_BAD_VALUE = {
    "float": "not_a_number",
    "int": "not_an_integer",
    "bool": "not_a_boolean",
    "timestamp": "bad_timestamp",
    "date": "bad_date",
}


@dataclass
class Validated:
    """The outcome of validating one file."""

    valid: pl.DataFrame
    failures: pl.DataFrame
    rows_in: int
    unchanged: bool = False
    """every value of the valid rows is the source's own (no parsing, stripping or casting)"""

    @property
    def rows_quarantined(self) -> int:
        return self.rows_in - self.valid.height


def map_columns(
    frame: pl.DataFrame, contract: Contract, mapping: dict[str, str], file: Path
) -> pl.DataFrame:
    """Rename source columns to canonical names; all missing required columns in one error."""
    rename = {src: canon for canon, src in mapping.items() if src in frame.columns}
    missing_sources = [src for canon, src in mapping.items() if src not in frame.columns]
    frame = frame.rename(rename)
    absent = [c for c in contract.required if c not in frame.columns]
    if absent:
        why = "required by the telemetry contract" if contract.input == "telemetry" else "required"
        if missing_sources:
            why += f"; mapped source columns not found: {', '.join(missing_sources)}"
        raise MissingColumnsError(file, absent, why)
    keep = [c for c in contract.names if c in frame.columns]
    frame = frame.select([LINE, *keep])
    for col in contract.columns:
        if col.name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=DTYPES[col.kind]).alias(col.name))
    return frame


def validate(
    frame: pl.DataFrame,
    contract: Contract,
    *,
    now: dt.datetime,
    known_features: set[str] | None = None,
    max_length: int = DEFAULT_MAX_LENGTH,
    max_latency_ms: float | None = None,
    min_timestamp: dt.datetime = DEFAULT_MIN_TIMESTAMP,
    future_tolerance: dt.timedelta = dt.timedelta(0),
) -> Validated:
    """Parse every column and collect every failed check.

    Timestamps and dates before ``min_timestamp`` are quarantined; those in ``no_future`` columns
    later than ``now + future_tolerance`` too.

    One pass computes a cheap "maybe bad" mask (each check, or a cheaper condition it implies);
    the exact checks and the failure table are computed only for the rows it flags.
    """
    raw = frame.rename({c.name: RAW + c.name for c in contract.columns})
    schema = tuple(raw.schema.items())
    shapes = {
        name: text_shape(raw.get_column(name))
        for name, dtype in schema
        if dtype == pl.String and name.startswith(RAW)
    }
    # Stripping only shortens a value, and a character takes at least one byte: a text column
    # whose longest raw value fits the limit in bytes cannot fail the length check.
    fits = frozenset(
        c.name
        for c in contract.columns
        if c.kind == "str"
        and RAW + c.name in shapes
        and shapes[RAW + c.name].longest <= (c.max_length or max_length)
    )
    plan = _plan(
        contract,
        schema,
        frozenset(name for name, shape in shapes.items() if shape.clean),
        fits,
        _Bounds(min_timestamp, now + future_tolerance),
        max_length,
        max_latency_ms,
        None if known_features is None else frozenset(known_features),
    )
    parsed = raw.with_columns(plan.parsers)
    names = [LINE, *contract.names]
    if plan.maybe and not any(
        parsed.select(m.any().alias(f"{i}") for i, m in enumerate(plan.maybe)).row(0)
    ):
        valid = parsed.select(names)
        return Validated(valid, pl.DataFrame(schema=FAILURE_SCHEMA), frame.height, plan.unchanged)
    suspect = parsed.select(plan.suspect).to_series()
    flagged = parsed.filter(suspect).with_columns(plan.bad)
    failures = _failure_table(flagged, plan.checks)
    exact = flagged.get_column("__bad")
    keep = ~suspect
    keep.scatter(suspect.arg_true().filter(~exact), True)
    valid = parsed.filter(keep).select(names)
    return Validated(valid, failures, frame.height, plan.unchanged)


@dataclass(frozen=True)
class Check:
    """One rule: the rows where ``fails`` holds get ``reason`` on ``column``."""

    column: Column
    reason: str
    fails: pl.Expr
    detail: str
    maybe: pl.Expr | None = None
    """a cheaper condition true wherever ``fails`` is (None: ``fails`` is cheap already)"""


_SUSPECT = "__suspect"


@dataclass(frozen=True)
class _Plan:
    """The expressions validating one contract against one source schema."""

    parsers: list[pl.Expr]
    checks: list[Check]
    maybe: list[pl.Expr]
    """per check: true on every row that may fail it (cheap)"""
    suspect: pl.Expr
    """true on every row that may fail a check (cheap)"""
    bad: pl.Expr
    """true on exactly the rows that fail a check"""
    unchanged: bool
    """every parser returns its column as it is"""


@functools.lru_cache(maxsize=64)
def _plan(
    contract: Contract,
    schema: tuple[tuple[str, pl.DataType], ...],
    clean: frozenset[str],
    fits: frozenset[str],
    bounds: _Bounds,
    max_length: int,
    max_latency: float | None,
    known_features: frozenset[str] | None,
) -> _Plan:
    """Built once per input, schema and text shape, reused for every file like it."""
    types = dict(schema)
    parsers = [
        parse(c, RAW + c.name, types[RAW + c.name], clean=RAW + c.name in clean).alias(c.name)
        for c in contract.columns
    ]
    same = {
        c.name: is_identity(c, types[RAW + c.name], clean=RAW + c.name in clean)
        for c in contract.columns
    }
    checks: list[Check] = []
    for col in contract.columns:
        found = _checks(col, contract, bounds, max_length, max_latency)
        # Checks that cannot fire are left out: a value used as it is cannot fail to parse, and
        # a column within the length limit in bytes cannot be too long.
        checks.extend(
            c
            for c in found
            if not (same[col.name] and c.reason in _BAD_VALUE.values())
            and not (col.name in fits and c.reason == "too_long")
        )
    if known_features is not None and contract.feature_column:
        fid = pl.col(contract.feature_column)
        checks.append(
            Check(
                Column(contract.feature_column),
                "unknown_feature",
                fid.is_not_null() & ~fid.is_in(sorted(known_features)),
                "feature id not in the features input",
            )
        )
    # A check on a missing value is "not failed" (null -> False); missing_value covers absence.
    checks = [
        Check(
            c.column,
            c.reason,
            c.fails.fill_null(False),
            c.detail,
            None if c.maybe is None else c.maybe.fill_null(False),
        )
        for c in checks
    ]
    maybe = [(c.fails if c.maybe is None else c.maybe) for c in checks]
    suspect = _any(maybe).alias(_SUSPECT)
    bad = _any([c.fails for c in checks]).alias("__bad")
    return _Plan(parsers, checks, maybe, suspect, bad, all(same.values()))


def _any(conditions: list[pl.Expr]) -> pl.Expr:
    return pl.any_horizontal(conditions or [pl.lit(False)])


@dataclass(frozen=True)
class _Bounds:
    """The earliest and latest acceptable moment for timestamps and dates."""

    earliest: dt.datetime
    latest: dt.datetime


def _checks(
    col: Column, contract: Contract, bounds: _Bounds, max_length: int, max_latency: float | None
) -> list[Check]:
    value, raw = pl.col(col.name), pl.col(RAW + col.name)
    present = raw.is_not_null()
    out: list[Check] = []
    if col.required:
        out.append(Check(col, "missing_value", ~present, "required value is empty"))
    if col.kind in _BAD_VALUE:
        out.append(
            Check(col, _BAD_VALUE[col.kind], present & value.is_null(), f"expected {col.kind}")
        )
    if col.kind == "float":
        out.append(
            Check(col, "not_finite", value.is_nan() | value.is_infinite(), "NaN or infinite")
        )
    if col.min is not None and col.kind in ("float", "int"):
        reason = "negative_value" if col.min == 0 else "out_of_range"
        out.append(Check(col, reason, value.is_finite() & (value < col.min), f"below {col.min:g}"))
    upper = col.max if col.max is not None else (max_latency if col.name == "latency_ms" else None)
    if upper is not None and col.kind in ("float", "int"):
        out.append(
            Check(col, "out_of_range", value.is_finite() & (value > upper), f"above {upper:g}")
        )
    if col.allowed:
        out.append(
            Check(
                col,
                "unknown_category",
                value.is_not_null() & ~value.is_in(col.allowed),
                "expected one of " + "/".join(col.allowed),
            )
        )
    if col.kind == "str":
        limit = col.max_length or max_length
        # A character takes at least one byte: only values over the limit in bytes can be over it
        # in characters, and counting bytes reads no text.
        out.append(
            Check(
                col,
                "too_long",
                value.str.len_chars() > limit,
                f"longer than {limit}",
                maybe=value.str.len_bytes() > limit,
            )
        )
    if col.kind in ("timestamp", "date"):
        earliest = _moment(bounds.earliest, col)
        out.append(Check(col, "before_min_timestamp", value < earliest, f"before {earliest}"))
    if col.name in contract.no_future:
        latest = _moment(bounds.latest, col)
        detail = "later than the run time plus the tolerance"
        out.append(Check(col, "future_timestamp", value > latest, detail))
    return out


def _moment(moment: dt.datetime, col: Column) -> dt.datetime | dt.date:
    return moment.date() if col.kind == "date" else moment


def _failure_table(flagged: pl.DataFrame, checks: list[Check]) -> pl.DataFrame:
    bad = flagged.filter(pl.col("__bad"))
    if bad.is_empty():
        return pl.DataFrame(schema=FAILURE_SCHEMA)
    lazy = bad.lazy()
    parts = [
        lazy.filter(c.fails).select(
            pl.col(LINE).alias("line"),
            pl.lit(c.column.name).alias("column_name"),
            _as_text(RAW + c.column.name, bad.schema[RAW + c.column.name]).alias("value"),
            pl.lit(c.reason).alias("reason"),
            pl.lit(c.detail).alias("detail"),
        )
        for c in checks
    ]
    # One plan, one collect: per-check eager filters cost more in overhead than in work.
    return pl.concat(parts).sort("line", maintain_order=True).collect()


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    text = pl.col(name) if dtype == pl.String else pl.col(name).cast(pl.String, strict=False)
    if isinstance(dtype, pl.List):
        text = pl.col(name).list.join(";")
    return text.str.slice(0, 200)


def broken_rows_table(broken: Sequence[Broken]) -> pl.DataFrame:
    """Failure rows for records that could not be split into the header's fields."""
    return pl.DataFrame(
        {
            "line": [b.line for b in broken],
            "column_name": [None] * len(broken),
            "value": [b.text[:200] for b in broken],
            "reason": [b.reason for b in broken],
            "detail": [b.detail for b in broken],
        },
        schema=FAILURE_SCHEMA,
    )
