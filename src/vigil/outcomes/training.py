"""What patch-risk training reads when ``outcomes.label_source = telemetry``: each release's
telemetry outcome (release_outcome) as its label, given as is (no threshold to fit)."""

from __future__ import annotations

import duckdb
import polars as pl

from vigil.config import VigilConfig
from vigil.errors import ModelError
from vigil.outcomes import store
from vigil.patches.label import GIVEN, Label, fit_label


def with_outcome_label(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig, patches: pl.DataFrame
) -> pl.DataFrame:
    """``patches`` plus the telemetry label column (null while unknown) when training uses
    telemetry labels; unchanged otherwise."""
    if cfg.outcomes.label_source != "telemetry":
        return patches
    outcomes = store.release_outcomes(con, "telemetry")
    if outcomes.height == 0 or outcomes["high_risk"].is_null().all():
        raise ModelError(
            "outcomes.label_source is telemetry but no release has a telemetry outcome yet: "
            "run 'vigil run' (its outcomes stage labels releases) or set "
            "outcomes.label_source: file"
        )
    labels = outcomes.filter(pl.col("mature")).select(
        "firmware_version", pl.col("high_risk").cast(pl.Int64).alias(GIVEN)
    )
    return patches.join(labels, on="firmware_version", how="left")


def labelled(releases: pl.DataFrame) -> pl.DataFrame:
    """Releases that have a label: all with file labels, those with a final telemetry outcome
    with telemetry labels."""
    return releases.drop_nulls(GIVEN) if GIVEN in releases.columns else releases


def select_label(cfg: VigilConfig, train: pl.DataFrame) -> Label:
    """The configured label: telemetry outcomes as given, or patches.high_risk fitted on train."""
    if cfg.outcomes.label_source == "telemetry":
        return given_label("telemetry", train.height)
    return fit_label(train, cfg.patches.high_risk)


def given_label(mode: str, n_train: int) -> Label:
    """A label read from the ``outcome_high_risk`` column (``mode`` names where it came from)."""
    return Label(mode=mode, used="given", value=0.0, threshold_per_10k=0.0, n_train=n_train)
