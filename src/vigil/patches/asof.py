"""Patch risk as it could have been known on each release's own release date (walk-forward).

Each release is scored by a regularised logistic regression trained only on releases whose
outcome window had closed on or before that release's date, so no score uses an outcome
observed after the release it scores. Models are refitted every ``asof_retrain_days`` of
release dates (a model fitted at cut-off ``c`` scores the releases from ``c`` until the next
cut-off, all of which ship on or after ``c``). The high-risk label (patches.high_risk) takes
its thresholds from each model's own training releases. Scores are null until
``min_releases`` outcomes have matured. Feature risk reads the table as an input; it never
sees the champion's (later) scores.
"""

from __future__ import annotations

import datetime as dt
import logging

import duckdb
import numpy as np
import polars as pl
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from vigil.config import VigilConfig
from vigil.patches.features import load_patches, sql
from vigil.patches.holdout import OUTCOME, matrix
from vigil.patches.inputs import MODEL_FEATURES
from vigil.patches.label import fit_label
from vigil.patches.settings import PatchSettings

log = logging.getLogger(__name__)

SCHEMA = {"firmware_version": pl.Utf8, "release_date": pl.Date, "patch_risk_asof": pl.Float64}


def _classifier(c: float) -> Pipeline:
    return make_pipeline(
        SimpleImputer(strategy="median", keep_empty_features=True),
        StandardScaler(),
        LogisticRegression(C=c, max_iter=1000),
    )


def matured_by(releases: pl.DataFrame, cutoff: dt.date, window_days: int) -> pl.DataFrame:
    """Releases whose outcome is known and whose outcome window closed on or before ``cutoff``."""
    return releases.filter(
        pl.col(OUTCOME).is_not_null()
        & (pl.col("release_date") + pl.duration(days=window_days) <= pl.lit(cutoff))
    )


def fit_as_of(train: pl.DataFrame, settings: PatchSettings) -> Pipeline | None:
    """A classifier on the matured releases, or None (too few, or all one class)."""
    if train.height < settings.model.min_releases:
        return None
    y = fit_label(train, settings.high_risk).apply(train)
    if len(np.unique(y)) < 2:
        return None
    return _classifier(settings.model.asof_c).fit(matrix(train, MODEL_FEATURES), y)


def cutoffs(dates: pl.Series, every_days: int) -> list[dt.date]:
    """Refit dates: the first release date, then every ``every_days`` days after it."""
    if dates.is_empty():
        return []
    first, last = dates.min(), dates.max()
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    n = (last - first).days // every_days + 1
    return [first + dt.timedelta(days=every_days * k) for k in range(n)]


def as_of_scores(releases: pl.DataFrame, settings: PatchSettings) -> pl.DataFrame:
    """Walk-forward risk of every release in ``releases`` (fact_patch rows)."""
    releases = releases.sort("release_date", "firmware_version")
    every = settings.model.asof_retrain_days
    risk = np.full(releases.height, np.nan)
    dates = releases["release_date"]
    for cut in cutoffs(dates, every):
        end = cut + dt.timedelta(days=every)
        idx = np.flatnonzero(((dates >= cut) & (dates < end)).to_numpy())
        if idx.size == 0:
            continue
        model = fit_as_of(matured_by(releases, cut, settings.outcome_window_days), settings)
        if model is not None:
            risk[idx] = model.predict_proba(matrix(releases[idx], MODEL_FEATURES))[:, 1]
    return releases.select("firmware_version", "release_date").with_columns(
        patch_risk_asof=pl.Series(risk, dtype=pl.Float64).fill_nan(None)
    )


def as_of_release_risk(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> pl.DataFrame:
    """One row per release in fact_patch (dim_release): firmware_version, release_date,
    patch_risk_asof (null while too few outcomes had matured by its release date)."""
    releases = load_patches(con)
    if releases.height == 0:
        return pl.DataFrame(schema=SCHEMA)
    return as_of_scores(releases, cfg.patches)


def write_as_of_risk(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> int:
    """Recompute table patch_risk_asof (idempotent); the number of releases with a score."""
    scores = as_of_release_risk(con, cfg)
    con.register("asof_scores", scores.to_arrow())
    try:
        con.execute(sql("write_asof"))
    finally:
        con.unregister("asof_scores")
    n = int(scores["patch_risk_asof"].is_not_null().sum())
    log.info("patch_risk_asof: %d of %d releases scored", n, scores.height)
    return n
