"""A change-level CSV for JIT defect prediction: validate, drop id-like columns, split in time.

Every problem is an :class:`~vigil.errors.InputError` naming the file and what to fix.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from vigil.errors import InputError, MissingColumnsError

log = logging.getLogger(__name__)


@dataclass
class ChangeData:
    """Validated changes sorted by time, with the columns the models may use."""

    frame: pl.DataFrame
    label: str
    time: str
    effort_columns: list[str]
    features: list[str]
    dropped: dict[str, str] = field(default_factory=dict)

    @property
    def effort(self) -> pl.Series:
        """Effort of each change: the sum of the effort columns (la + ld by default)."""
        return self.frame.select(pl.sum_horizontal(self.effort_columns)).to_series()


def read_changes(path: Path, label: str, time: str, effort_columns: list[str]) -> ChangeData:
    """Read, validate and sort a change-level CSV; raise InputError on anything unusable."""
    if not path.is_file():
        raise InputError("file not found (pass a change-level CSV with --data)", file=path)
    try:
        frame = pl.read_csv(path, infer_schema_length=None)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise InputError(f"not a readable CSV ({exc.__class__.__name__})", file=path) from exc
    return prepare_changes(frame, label, time, effort_columns, source=path)


def prepare_changes(
    frame: pl.DataFrame,
    label: str,
    time: str,
    effort_columns: list[str],
    *,
    source: Path | str = "<data>",
) -> ChangeData:
    """Validate an in-memory change table (see :func:`read_changes`)."""
    missing = [c for c in dict.fromkeys([label, time, *effort_columns]) if c not in frame.columns]
    if missing:
        raise MissingColumnsError(source, missing, "label, time and effort columns")
    frame = frame.with_columns(_to_time(frame, time, source), _to_label(frame, label, source))
    dropped = droppable_columns(frame, label, time)
    features = [c for c in frame.columns if c not in dropped and c not in (label, time)]
    frame = frame.with_columns(_to_numbers(frame, [*features, *effort_columns], source))
    if frame.height < 10:
        raise InputError(f"only {frame.height} rows; need at least 10 changes", file=source)
    log.info("changes: %d rows, %d features, dropped %s", frame.height, len(features), dropped)
    return ChangeData(
        frame.sort(time, maintain_order=True), label, time, effort_columns, features, dropped
    )


def _to_time(frame: pl.DataFrame, time: str, source: Path | str) -> pl.Series:
    col = frame[time]
    if col.dtype.is_numeric():
        out = col.cast(pl.Float64)
    else:
        parsed = col.cast(pl.String).str.to_datetime(strict=False, time_zone="UTC")
        out = (parsed.dt.epoch("ms") / 1000.0).cast(pl.Float64).alias(time)
    bad = out.is_null() | out.is_nan() if out.dtype == pl.Float64 else out.is_null()
    if bad.any():
        row = int(bad.arg_true()[0])
        raise InputError(
            f"row {row + 1}, column '{time}': '{col[row]}' is not a time "
            "(use unix seconds or ISO dates)",
            file=source,
        )
    return out.alias(time)


def _to_label(frame: pl.DataFrame, label: str, source: Path | str) -> pl.Series:
    col = frame[label]
    text = col.cast(pl.String).str.strip_chars().str.to_lowercase()
    mapped = text.replace_strict(
        {"0": 0, "1": 1, "0.0": 0, "1.0": 1, "true": 1, "false": 0},
        default=None,
        return_dtype=pl.Int8,
    )
    if mapped.is_null().any():
        row = int(mapped.is_null().arg_true()[0])
        raise InputError(
            f"row {row + 1}, column '{label}': label must be 0 or 1, got '{col[row]}'", file=source
        )
    if mapped.n_unique() < 2:
        raise InputError(f"column '{label}' has only one class; need both 0 and 1", file=source)
    return mapped.alias(label)


def _to_numbers(frame: pl.DataFrame, columns: list[str], source: Path | str) -> list[pl.Series]:
    out = []
    for name in dict.fromkeys(columns):
        col = frame[name]
        numbers = col.cast(pl.Float64, strict=False)
        bad = numbers.is_null() & col.is_not_null()
        if bad.any() or col.is_null().any():
            row = int((bad | col.is_null()).arg_true()[0])
            raise InputError(
                f"row {row + 1}, column '{name}': '{col[row]}' is not a number "
                "(fix the value or drop the column)",
                file=source,
            )
        out.append(numbers.alias(name))
    return out


def droppable_columns(frame: pl.DataFrame, label: str, time: str) -> dict[str, str]:
    """Columns no model may use, with the reason: row indexes, ids, copies of the label."""
    reasons: dict[str, str] = {}
    y = frame[label]
    for name in frame.columns:
        if name in (label, time):
            continue
        col = frame[name]
        if _same(col, y):
            reasons[name] = "duplicates the label"
        elif name == "" or name.startswith("_"):
            reasons[name] = "id-like name"
        elif col.dtype == pl.String and col.n_unique() == frame.height:
            reasons[name] = "id-like (unique text)"
        elif col.dtype.is_integer() and col.equals(pl.Series(range(col.len())), check_names=False):
            reasons[name] = "row index"
    return reasons


def _same(col: pl.Series, y: pl.Series) -> bool:
    values = col.cast(pl.Float64, strict=False)
    return bool(values.null_count() == 0 and (values == y.cast(pl.Float64)).all())


def time_split(
    data: ChangeData, train_fraction: float, gap_seconds: float = 0.0
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """First ``train_fraction`` of rows by time train, the rest test; no shuffling.

    Rows sharing the boundary time all go to test, and training rows closer than ``gap_seconds``
    to the first test row are left out, so ``max(train time) + gap < min(test time)``. The
    published protocol uses no gap (``gap_seconds=0``).
    """
    if not 0.0 < train_fraction < 1.0:
        raise InputError(f"--train-fraction must be between 0 and 1, got {train_fraction}")
    if gap_seconds < 0:
        raise InputError(f"--gap-days must not be negative, got {gap_seconds / 86400:g}")
    frame = data.frame
    cutoff = frame[data.time][int(frame.height * train_fraction)]
    train = frame.filter(pl.col(data.time) < cutoff - gap_seconds)
    test = frame.filter(pl.col(data.time) >= cutoff)
    for part, name in ((train, "train"), (test, "test")):
        if part[data.label].n_unique() < 2:
            raise InputError(f"the {name} part has only one class; use more data or another split")
    return train, test
