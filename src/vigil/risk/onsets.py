"""New-onset evaluation: does a score warn *before* a regression starts, not once it is under way?

A feature-day is a *new-onset row* when the generator's truth has no regression of that feature
active on that day: none with effective start (its early onset when it has one, else its onset)
<= t <= end. On those rows a positive label can only come from a regression still to start, so a
score that merely re-detects an elevated metric gains nothing there.

Lead time counts days between a feature's first flag and a regression's obvious onset. A flag
counts for a regression from ``lookback`` days before its effective start to its end, except on
days another regression of the same feature is active (that flag belongs to the other one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl
from sklearn.metrics import average_precision_score, roc_auc_score

KEY = ("feature_id", "score_date")


def effective_start() -> pl.Expr:
    """A regression's first affected day: its slow early creep when it has one, else its onset."""
    return pl.coalesce("early_onset_date", "onset_date")


def active_rows(rows: pl.DataFrame, truth: pl.DataFrame) -> pl.Series:
    """Per row of ``rows`` (feature_id, score_date): True when a true regression is active at t."""
    spans = truth.select("feature_id", start=effective_start(), end=pl.col("end_date"))
    keyed = rows.select(*KEY).with_row_index("_row")
    hit = (
        keyed.join(spans, on="feature_id")
        .filter(pl.col("score_date").is_between(pl.col("start"), pl.col("end")))
        .select("_row")
        .unique()
    )
    flags = keyed.join(hit.with_columns(pl.lit(True).alias("_active")), on="_row", how="left")
    return flags.sort("_row")["_active"].fill_null(False).alias("active")


def upcoming_rows(rows: pl.DataFrame, truth: pl.DataFrame, horizon: int) -> pl.Series:
    """Per row: True when a true regression of the feature starts in (t, t + horizon]."""
    starts = truth.select("feature_id", start=effective_start())
    keyed = rows.select(*KEY).with_row_index("_row")
    ahead = pl.col("score_date") + pl.duration(days=horizon)
    hit = (
        keyed.join(starts, on="feature_id")
        .filter((pl.col("start") > pl.col("score_date")) & (pl.col("start") <= ahead))
        .select("_row")
        .unique()
    )
    return keyed["_row"].is_in(hit["_row"]).alias("upcoming")


def new_onset_rows(rows: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``rows`` on which no true regression of the feature is active."""
    return rows.filter(~active_rows(rows, truth))


def _ci(values: list[float]) -> list[float] | None:
    """The 5th and 95th percentiles (a 90% interval), or None without values."""
    if not values:
        return None
    lo, hi = np.percentile(values, [5, 95])
    return [float(lo), float(hi)]


def _auc_pair(y: np.ndarray, s: np.ndarray) -> tuple[float, float] | None:
    if len(np.unique(y)) < 2:
        return None
    return float(average_precision_score(y, s)), float(roc_auc_score(y, s))


def ranking_metrics(
    y: np.ndarray, score: np.ndarray, blocks: np.ndarray, *, n_boot: int = 200, seed: int = 7
) -> dict[str, Any]:
    """PR-AUC and ROC-AUC with 90% intervals from a block bootstrap over ``blocks`` (e.g. days).

    Rows of one day share their world and their date, so days are resampled whole.
    """
    y = np.asarray(y, dtype=int)
    score = np.nan_to_num(np.asarray(score, dtype=float), nan=-np.inf, neginf=-1e300)
    point = _auc_pair(y, score)
    labels, inverse = np.unique(blocks, return_inverse=True)
    members = [np.flatnonzero(inverse == i) for i in range(len(labels))]
    rng = np.random.default_rng(seed)
    pr: list[float] = []
    roc: list[float] = []
    for _ in range(n_boot if point is not None else 0):
        take = np.concatenate([members[i] for i in rng.integers(0, len(members), len(members))])
        pair = _auc_pair(y[take], score[take])
        if pair is not None:
            pr.append(pair[0])
            roc.append(pair[1])
    return {
        "rows": len(y),
        "positives": int(y.sum()),
        "pr_auc": {"value": None if point is None else point[0], "ci90": _ci(pr)},
        "roc_auc": {"value": None if point is None else point[1], "ci90": _ci(roc)},
    }


def paired_difference(
    y: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    blocks: np.ndarray,
    *,
    n_boot: int = 200,
    seed: int = 7,
) -> dict[str, Any]:
    """PR-AUC and ROC-AUC of score ``a`` minus score ``b`` on the same rows, with 90% intervals
    from one block bootstrap (both scores resampled together, so the interval is paired)."""
    y = np.asarray(y, dtype=int)
    a, b = (np.nan_to_num(np.asarray(s, dtype=float), nan=-1e300) for s in (a, b))
    pa, pb = _auc_pair(y, a), _auc_pair(y, b)
    labels, inverse = np.unique(blocks, return_inverse=True)
    members = [np.flatnonzero(inverse == i) for i in range(len(labels))]
    rng = np.random.default_rng(seed)
    pr: list[float] = []
    roc: list[float] = []
    for _ in range(n_boot if pa is not None and pb is not None else 0):
        take = np.concatenate([members[i] for i in rng.integers(0, len(members), len(members))])
        da, db = _auc_pair(y[take], a[take]), _auc_pair(y[take], b[take])
        if da is not None and db is not None:
            pr.append(da[0] - db[0])
            roc.append(da[1] - db[1])
    if pa is None or pb is None:
        return {"pr_auc": {"value": None, "ci90": None}, "roc_auc": {"value": None, "ci90": None}}
    return {
        "pr_auc": {"value": pa[0] - pb[0], "ci90": _ci(pr)},
        "roc_auc": {"value": pa[1] - pb[1], "ci90": _ci(roc)},
    }


def regression_leads(flags: pl.DataFrame, truth: pl.DataFrame, lookback: int) -> pl.DataFrame:
    """One row per regression whose whole look-back was scored: its first flag and lead in days.

    ``flags`` holds feature_id, score_date and a boolean ``flagged`` over a scored period.
    ``lead_days`` = onset - first flag (positive: warned before the obvious onset); null = missed.
    """
    first, last = flags["score_date"].min(), flags["score_date"].max()
    back = dt.timedelta(days=lookback)
    regs = truth.select(
        "regression_id", "feature_id", "onset_date", "end_date", start=effective_start()
    )
    if not isinstance(first, dt.date) or not isinstance(last, dt.date):
        return regs.clear().with_columns(
            pl.lit(None, pl.Date).alias("first_flag"), pl.lit(None, pl.Int64).alias("lead_days")
        )
    cases = regs.filter((pl.col("start") - back >= first) & (pl.col("onset_date") <= last))
    candidates = (
        cases.join(flags.filter(pl.col("flagged")).select(*KEY), on="feature_id")
        .filter(pl.col("score_date").is_between(pl.col("start") - back, pl.col("end_date")))
        .join(_other_active(truth), on=["regression_id", "feature_id", "score_date"], how="anti")
    )
    first_flag = candidates.group_by("regression_id").agg(first_flag=pl.col("score_date").min())
    lead = (pl.col("onset_date") - pl.col("first_flag")).dt.total_days()
    return (
        cases.join(first_flag, on="regression_id", how="left")
        .with_columns(lead_days=lead)
        .sort("regression_id")
    )


def _other_active(truth: pl.DataFrame) -> pl.DataFrame:
    """(regression_id, feature_id, score_date) where another regression of the feature is active."""
    spans = truth.select(
        "regression_id", "feature_id", start=effective_start(), end=pl.col("end_date")
    )
    days = spans.select(
        "feature_id",
        pl.col("regression_id").alias("other"),
        pl.date_ranges("start", "end").alias("score_date"),
    ).explode("score_date")
    return (
        spans.select("regression_id", "feature_id")
        .join(days, on="feature_id")
        .filter(pl.col("other") != pl.col("regression_id"))
        .select("regression_id", "feature_id", "score_date")
        .unique()
    )


def lead_summary(leads: pl.DataFrame, *, n_boot: int = 1000, seed: int = 7) -> dict[str, Any]:
    """Median lead (days) over detected regressions, a bootstrap 90% interval, and the counts."""
    detected = leads["lead_days"].drop_nulls().to_numpy().astype(float)
    rng = np.random.default_rng(seed)
    boots = (
        [float(np.median(rng.choice(detected, len(detected)))) for _ in range(n_boot)]
        if len(detected)
        else []
    )
    return {
        "median": float(np.median(detected)) if len(detected) else None,
        "ci90": _ci(boots),
        "n_regressions": leads.height,
        "n_detected": len(detected),
        "n_before_onset": int((detected > 0).sum()),
    }
