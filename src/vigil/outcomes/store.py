"""Tables ``regression_attribution`` and ``release_outcome``: written by the stage, read by the
patch-risk training, the CLI and the dashboard (one read API for all of them)."""

from __future__ import annotations

import duckdb
import polars as pl

from vigil.outcomes.sql_files import sql

ATTRIBUTION_COLUMNS = (
    "episode_id",
    "feature_id",
    "start_date",
    "end_date",
    "metric",
    "anomaly_days",
    "peak_score",
    "deployment_id",
    "firmware_version",
    "deployed_at",
    "days_since",
    "touched",
    "dose",
    "version_lift",
    "exposure",
    "confidence",
    "rank",
    "attributed",
)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create both tables if missing (idempotent)."""
    con.execute(sql("schema"))


def replace(
    con: duckdb.DuckDBPyConnection, pairs: pl.DataFrame, outcomes: pl.DataFrame, run_id: str | None
) -> None:
    """Replace both tables' rows in one transaction."""
    ensure_schema(con)
    tagged = {
        "regression_attribution": pairs.select(ATTRIBUTION_COLUMNS),
        "release_outcome": outcomes,
    }
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in tagged.items():
            con.execute(f"DELETE FROM {table}")
            con.register(
                "_outcome_rows", frame.with_columns(run_id=pl.lit(run_id, pl.Utf8)).to_arrow()
            )
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _outcome_rows")
            con.unregister("_outcome_rows")
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    rows = con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ?",
        [table],
    ).fetchall()
    return bool(rows)


def release_outcomes(con: duckdb.DuckDBPyConnection, source: str | None = None) -> pl.DataFrame:
    """release_outcome rows (one source or both), newest release first; empty before a run."""
    if not _exists(con, "release_outcome"):
        return pl.DataFrame()
    where = "" if source is None else "WHERE source = $source"
    params = None if source is None else {"source": source}
    return con.sql(
        f"SELECT * FROM release_outcome {where} "
        "ORDER BY release_date DESC, firmware_version DESC, source",
        params=params,
    ).pl()


def attributions(
    con: duckdb.DuckDBPyConnection, firmware_version: str | None = None
) -> pl.DataFrame:
    """regression_attribution rows (of one version or all), strongest first."""
    if not _exists(con, "regression_attribution"):
        return pl.DataFrame()
    where = "" if firmware_version is None else "WHERE firmware_version = $version"
    params = None if firmware_version is None else {"version": firmware_version}
    return con.sql(
        f"SELECT * FROM regression_attribution {where} ORDER BY start_date DESC, episode_id, rank",
        params=params,
    ).pl()


def episode_candidates(con: duckdb.DuckDBPyConnection, episode_id: str) -> pl.DataFrame:
    """Every candidate release of one episode, by rank (the evidence behind its attribution)."""
    if not _exists(con, "regression_attribution"):
        return pl.DataFrame()
    return con.sql(
        "SELECT * FROM regression_attribution WHERE episode_id = $episode ORDER BY rank",
        params={"episode": episode_id},
    ).pl()
