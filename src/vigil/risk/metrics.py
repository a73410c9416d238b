"""Evaluation metrics: ranking and calibration quality, top-k recall per day, and lead time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from vigil.errors import InputError, MissingColumnsError
from vigil.modelling.leadtime import first_flags, summary

TRUTH_COLUMNS = ("regression_id", "feature_id", "onset_date", "end_date")


def recall_at_k(frame: pl.DataFrame, score: str, label: str, k: int) -> float | None:
    """Share of degrading feature-days that rank in the top k features of their day."""
    ranked = frame.with_columns(
        pl.col(score).rank("ordinal", descending=True).over("score_date").alias("_rank")
    )
    positives = ranked.filter(pl.col(label))
    if positives.height == 0:
        return None
    return float(positives.filter(pl.col("_rank") <= k).height / positives.height)


def read_truth(path: Path) -> pl.DataFrame:
    """Ground-truth regressions (``truth/regressions.csv``): regression_id, feature_id, onset_date,
    end_date and (optional, null when absent) early_onset_date, all dates typed."""
    if not path.is_file():
        raise InputError(
            "ground-truth file not found (pass the world's truth/regressions.csv)", file=path
        )
    truth = pl.read_csv(path, try_parse_dates=True)
    missing = [c for c in TRUTH_COLUMNS if c not in truth.columns]
    if missing:
        raise MissingColumnsError(path, missing, "needed to measure lead time")
    if "early_onset_date" not in truth.columns:
        truth = truth.with_columns(pl.lit(None, pl.Date).alias("early_onset_date"))
    try:
        return truth.with_columns(
            pl.col("regression_id").cast(pl.Utf8),
            pl.col("feature_id").cast(pl.Utf8),
            pl.col("onset_date", "end_date", "early_onset_date").cast(pl.Date),
        )
    except pl.exceptions.PolarsError as exc:
        raise InputError(
            "ground-truth dates must be YYYY-MM-DD (onset_date, end_date, early_onset_date)",
            file=path,
        ) from exc


def lead_times(flags: pl.DataFrame, truth: pl.DataFrame, lookback_days: int) -> dict[str, Any]:
    """Days between a feature first being flagged and the onset of each true regression.

    ``flags`` holds feature_id, score_date, flagged for the scored period. A regression counts
    when its whole look-back window (onset - lookback .. onset) was scored; its first flag inside
    [onset - lookback, onset + lookback] gives the lead (positive = before onset).
    """
    first, last = flags["score_date"].min(), flags["score_date"].max()
    if not isinstance(first, dt.date) or not isinstance(last, dt.date):
        return {"regressions": 0, "detected": 0, "detected_before_onset": 0, "median_days": None}
    back = dt.timedelta(days=lookback_days)
    windows = (
        truth.filter(pl.col("onset_date").is_between(first + back, last))
        .select("feature_id", "onset_date")
        .unique(maintain_order=True)
        .with_columns(
            window_start=pl.col("onset_date") - back, window_end=pl.col("onset_date") + back
        )
    )
    flagged = flags.filter(pl.col("flagged")).select("feature_id", day=pl.col("score_date"))
    found = summary(first_flags(windows, flagged)["lead_days"])
    return {
        "regressions": windows.height,
        "detected": found["detected"],
        "detected_before_onset": found["detected_before_onset"],
        "median_days": found["median_days"],
        "mean_days": found["mean_days"],
    }
