"""Attribute the observed regression episodes to releases and label every release: the whole
closing-the-loop computation on one warehouse connection (the stage and the benchmark call it)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import duckdb
import polars as pl

from vigil.outcomes.confidence import confidence, rank_and_pick
from vigil.outcomes.episodes import episodes
from vigil.outcomes.evidence import candidates
from vigil.outcomes.labels import OUTCOME_COLUMNS, release_outcomes
from vigil.outcomes.settings import OutcomeSettings
from vigil.outcomes.sql_files import query

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attribution:
    """Every candidate pair with its evidence and confidence, and the release outcomes."""

    episodes: pl.DataFrame
    pairs: pl.DataFrame
    outcomes: pl.DataFrame


def attribute(
    con: duckdb.DuckDBPyConnection,
    settings: OutcomeSettings,
    through: dt.date,
    min_samples: int = 0,
) -> Attribution:
    """Episodes from feature_anomaly up to ``through`` (the last complete day), their candidate
    releases ranked, and one telemetry outcome per release (plus the file outcomes).
    ``min_samples``: days of history the detectors need before they score (detection setting);
    releases shipped before then have no telemetry outcome."""
    found = episodes(query(con, "anomalies", {"through": through}), settings.merge_days)
    pairs = scored_pairs(con, found, settings)
    releases = query(con, "releases")
    observed = query(con, "observed_from", {"min_samples": min_samples})["observed_from"][0]
    telemetry = release_outcomes(releases, pairs, through, settings.window_days, observed)
    files = query(con, "file_outcomes")
    outcomes = pl.concat(
        [telemetry.select(OUTCOME_COLUMNS), files.select(OUTCOME_COLUMNS)], how="vertical_relaxed"
    )
    log.info(
        "outcomes: %d episodes, %d candidate pairs, %d attributed; %d releases regressed",
        found.height,
        pairs.height,
        int(pairs["attributed"].sum()) if pairs.height else 0,
        int(telemetry["high_risk"].sum()),
    )
    return Attribution(found, pairs, outcomes)


def scored_pairs(
    con: duckdb.DuckDBPyConnection, found: pl.DataFrame, settings: OutcomeSettings
) -> pl.DataFrame:
    """Candidates of every episode with evidence, confidence, rank and the pick."""
    if found.height == 0:
        return _empty_pairs(found)
    pairs = candidates(con, found, settings).join(found, on="episode_id")
    if pairs.height == 0:
        return _empty_pairs(found)
    pairs = pairs.with_columns(confidence=pl.Series(confidence(pairs, settings.weights)))
    return rank_and_pick(pairs, settings.min_confidence)


def _empty_pairs(found: pl.DataFrame) -> pl.DataFrame:
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        **found.schema,
        "deployment_id": pl.Utf8,
        "firmware_version": pl.Utf8,
        "deployed_at": pl.Datetime("us"),
        "days_since": pl.Int32,
        "touched": pl.Boolean,
        "dose": pl.Float64,
        "version_lift": pl.Float64,
        "exposure": pl.Float64,
        "confidence": pl.Float64,
        "rank": pl.Int32,
        "attributed": pl.Boolean,
    }
    return pl.DataFrame(schema=schema)
