"""Read-side API over the feature-risk scores for the dashboard: the ranked list with what changed
since the previous scores, the tier mix and cohorts. Built on the scoring's own SQL."""

from __future__ import annotations

from typing import Literal, get_args

import duckdb
import polars as pl

from vigil.errors import VigilError
from vigil.risk.queries import ranked_features
from vigil.risk.sql_files import load_sql, query_frame

Cohort = Literal["owner_team", "lifecycle_stage", "platform"]
COHORTS: tuple[str, ...] = get_args(Cohort)


def ranked(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The latest scores by impact (``risk.queries.ranked_features``), each feature named (its
    id when the catalogue has no name) and with its score on the previous score date."""
    scores = ranked_features(con).with_columns(
        feature_name=pl.coalesce("feature_name", "feature_id")
    )
    previous = query_frame(con, load_sql("previous_scores"))
    return scores.join(previous, on="feature_id", how="left")


def tier_counts(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Features per tier on the latest ('current') and the previous ('previous') score date."""
    return query_frame(con, load_sql("tier_counts"))


def cohorts(con: duckdb.DuckDBPyConnection, by: str) -> pl.DataFrame:
    """Latest risk aggregated by owner_team, lifecycle_stage or platform."""
    if by not in COHORTS:
        raise VigilError(f"cohort must be one of {', '.join(COHORTS)} (got {by!r})")
    return query_frame(con, load_sql("cohorts").format(by=by))
