"""Derived features for JIT defect prediction on the Kamei change metrics.

Ratios put a change in the context of the files it touches (a 50-line change to a 100-line file is
not a 50-line change to a 10,000-line file); they are computed only when their inputs are present,
so any change-level CSV works. Nothing here looks at labels or at other rows.
"""

from __future__ import annotations

import polars as pl

# name -> (numerator columns summed, denominator column); the denominator is floored at 1.
RATIOS: dict[str, tuple[tuple[str, ...], str]] = {
    "churn_per_lt": (("la", "ld"), "lt"),
    "la_per_lt": (("la",), "lt"),
    "ld_per_lt": (("ld",), "lt"),
    "churn_per_file": (("la", "ld"), "nf"),
    "lt_per_file": (("lt",), "nf"),
    "nuc_per_file": (("nuc",), "nf"),
    "ndev_per_file": (("ndev",), "nf"),
    "rexp_share": (("rexp",), "exp"),
    "sexp_share": (("sexp",), "exp"),
}


def derive(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """The model's input: the given columns plus every ratio whose inputs are among them."""
    exprs = [pl.col(c).cast(pl.Float64) for c in columns]
    for name, (num, den) in RATIOS.items():
        if set(num) <= set(columns) and den in columns:
            total = pl.sum_horizontal([pl.col(c) for c in num])
            exprs.append((total / pl.col(den).clip(lower_bound=1.0)).alias(name))
    if {"la", "ld"} <= set(columns):
        added = pl.col("la") / (pl.col("la") + pl.col("ld")).clip(lower_bound=1.0)
        exprs.append(added.alias("added_share"))
    return frame.select(exprs)


def log_scaled(frame: pl.DataFrame) -> pl.DataFrame:
    """log1p of every column (negatives clipped at 0): tames the heavy tails for linear models."""
    return frame.select(pl.all().clip(lower_bound=0.0).log1p())
