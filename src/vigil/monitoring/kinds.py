"""Column kinds (numeric / categorical / binary): inferred from the data or given, then checked.

Inference follows Evidently: booleans and anything with at most two distinct values are binary,
strings are categorical, numbers with at most five distinct values are treated as categories.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from vigil.errors import InputError
from vigil.monitoring.settings import ColumnKind

KINDS: tuple[ColumnKind, ...] = ("numeric", "categorical", "binary")
MAX_NUMERIC_CATEGORIES = 5


def present(series: pl.Series) -> pl.Series:
    """The series without missing values (null, and NaN for floats)."""
    series = series.drop_nulls()
    if series.dtype.is_float():
        series = series.filter(series.is_not_nan())
    return series


@dataclass(frozen=True)
class Pair:
    """One column on both sides: the non-missing values and the row totals."""

    name: str
    reference: pl.Series
    current: pl.Series
    reference_total: int
    current_total: int

    @classmethod
    def of(cls, reference: pl.Series, current: pl.Series) -> Pair:
        return cls(
            reference.name, present(reference), present(current), len(reference), len(current)
        )

    @property
    def numeric(self) -> bool:
        return self.reference.dtype.is_numeric() and self.current.dtype.is_numeric()

    @property
    def boolean(self) -> bool:
        return pl.Boolean in (self.reference.dtype, self.current.dtype)

    def distinct(self) -> int:
        """Distinct non-missing values over both sides."""
        if self.numeric:
            both = np.concatenate([numbers(self.reference), numbers(self.current)])
            return int(np.unique(both).size)
        return len(set(labels(self.reference)) | set(labels(self.current)))


def _supported(series: pl.Series) -> bool:
    dtype = series.dtype
    return (
        dtype.is_numeric()
        or dtype in (pl.Boolean, pl.String, pl.Categorical, pl.Null)
        or isinstance(dtype, pl.Enum)
    )


def infer_kind(pair: Pair) -> ColumnKind:
    """The kind a column is tested as, from its type and distinct values on both sides."""
    for side, series in (("reference", pair.reference), ("current", pair.current)):
        if not _supported(series):
            raise InputError(
                f"column '{pair.name}' in the {side} data has type {series.dtype}; drift handles "
                "numbers, strings and booleans (leave the column out with --columns)"
            )
    distinct = pair.distinct()
    if pair.boolean or distinct <= 2:
        return "binary"
    if pair.numeric:
        return "categorical" if distinct <= MAX_NUMERIC_CATEGORIES else "numeric"
    return "categorical"


def check_kind(pair: Pair, kind: str) -> ColumnKind:
    """Validate a kind given by the caller against the data."""
    if kind not in KINDS:
        raise InputError(
            f"column '{pair.name}': unknown kind '{kind}' (use one of: {', '.join(KINDS)})"
        )
    if kind == "numeric" and not pair.numeric:
        raise InputError(
            f"column '{pair.name}' is declared numeric but holds {pair.reference.dtype} / "
            f"{pair.current.dtype} (declare it categorical, or fix the data)"
        )
    if kind == "binary" and pair.distinct() > 2:
        raise InputError(
            f"column '{pair.name}' is declared binary but has {pair.distinct()} distinct "
            "values (declare it categorical)"
        )
    return kind


def numbers(values: pl.Series) -> np.ndarray:
    """Non-missing values (see :func:`present`) as float64."""
    return values.cast(pl.Float64).to_numpy()


def labels(values: pl.Series) -> np.ndarray:
    """Non-missing values as strings (categories compare by their text)."""
    return values.cast(pl.String).to_numpy().astype(str)


def positive_label(pair: Pair) -> str:
    """The level a binary column's rate is reported for: 'true', 1, or the larger of two."""
    values = sorted(set(labels(pair.reference)) | set(labels(pair.current)))
    if pair.boolean:
        return "true"
    if pair.numeric and values:
        return max(values, key=float)
    return values[-1] if values else ""
