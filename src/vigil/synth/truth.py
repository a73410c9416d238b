"""Load the injected ground truth (truth/regressions.csv) for evaluation code.

The pipeline never reads this; evaluation does, e.g. to measure how many days before a
regression's obvious onset a detector first flagged the feature.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from vigil.errors import InputError, MissingColumnsError
from vigil.modelling.leadtime import first_flags

REGRESSION_SCHEMA = {
    "regression_id": pl.Utf8,
    "feature_id": pl.Utf8,
    "firmware_version": pl.Utf8,
    "deployment_id": pl.Utf8,
    "kind": pl.Utf8,
    "early_onset_date": pl.Date,
    "onset_date": pl.Date,
    "end_date": pl.Date,
    "magnitude": pl.Float64,
}


def regressions_path(root: Path) -> Path:
    """truth/regressions.csv under a world folder (or the file itself when given)."""
    root = Path(root)
    return root if root.suffix == ".csv" else root / "truth" / "regressions.csv"


def load_regressions(root: Path) -> pl.DataFrame:
    """The injected regressions, typed (dates as Date; early_onset_date null when none).

    ``root`` is the folder `vigil generate --out` wrote, or the CSV itself.
    """
    path = regressions_path(root)
    if not path.exists():
        raise InputError("no ground truth here (generate a world with 'vigil generate')", file=path)
    header = pl.read_csv(path, n_rows=0).columns
    missing = [c for c in REGRESSION_SCHEMA if c not in header]
    if missing:
        raise MissingColumnsError(path, missing, "ground-truth regressions")
    return pl.read_csv(path, schema=REGRESSION_SCHEMA)


def lead_times(regressions: pl.DataFrame, flags: pl.DataFrame, slack_days: int = 7) -> pl.DataFrame:
    """First flag of each regression's feature and its lead time before the obvious onset.

    ``flags`` has ``feature_id`` and ``event_date`` (Date): the days a detector flagged a feature.
    A flag counts for a regression when it falls between ``slack_days`` before the regression
    starts (its early onset, else its onset) and its end. ``lead_days`` = onset - first flag
    (positive: flagged early; null: missed). One row per regression.
    """
    windows = regressions.with_columns(
        window_start=pl.coalesce("early_onset_date", "onset_date") - pl.duration(days=slack_days),
        window_end=pl.col("end_date"),
    )
    days = flags.select("feature_id", day=pl.col("event_date"))
    return (
        first_flags(windows, days)
        .drop("window_start", "window_end")
        .with_columns(detected=pl.col("first_flag").is_not_null())
        .sort("regression_id")
    )
