"""From evidence to a confidence per (episode, candidate), and the one rule that picks a cause.

The confidence is the probability that the release caused the episode, from a logistic model
whose weights (``outcomes.weights``) were fitted on tuning worlds against the generator's truth.
Missing telemetry evidence (no event-grain data) counts as neutral: zero.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from vigil.outcomes.settings import EvidenceWeights

LIFT_CAP = 3.0
"""|log version lift| is capped: a handful of events on a new version must not dominate"""
EVIDENCE = (
    "touched",
    "recency",
    "dose",
    "version_lift",
    "exposure",
    "strength",
    "alone",
    "best_split",
)


def design(pairs: pl.DataFrame) -> pl.DataFrame:
    """The model's inputs per pair (the names of EvidenceWeights), missing values as 0."""
    lift = pl.col("version_lift").fill_nan(None)
    best = lift.filter(pl.col("touched")).max().over("episode_id")
    return pairs.select(
        touched=pl.col("touched").cast(pl.Float64),
        recency=1.0 / (1.0 + pl.col("days_since").clip(lower_bound=0).cast(pl.Float64)),
        dose=pl.col("dose").fill_nan(None).fill_null(0.0),
        version_lift=pl.col("version_lift")
        .log()
        .clip(-LIFT_CAP, LIFT_CAP)
        .fill_nan(None)
        .fill_null(0.0),
        exposure=pl.col("exposure").fill_nan(None).fill_null(0.0),
        strength=(1.0 + pl.col("anomaly_days") * pl.col("peak_score")).log(),
        best_split=(pl.col("touched") & (lift == best) & (lift > 1.0))
        .fill_null(False)
        .cast(pl.Float64),
        alone=pl.when("touched")
        .then(1.0 / pl.col("touched").cast(pl.Float64).sum().over("episode_id"))
        .otherwise(0.0),
    )


def confidence(pairs: pl.DataFrame, weights: EvidenceWeights) -> np.ndarray:
    """P(release caused episode) per pair."""
    x = design(pairs).to_numpy()
    w = np.array([getattr(weights, name) for name in EVIDENCE])
    return 1.0 / (1.0 + np.exp(-(weights.intercept + x @ w)))


def rank_and_pick(pairs: pl.DataFrame, min_confidence: float) -> pl.DataFrame:
    """Rank candidates within each episode (confidence, then the most recent rollout) and mark
    the attributed one: rank 1 at or above ``min_confidence``."""
    ranked = pairs.sort(
        ["episode_id", "confidence", "days_since", "deployment_id"],
        descending=[False, True, False, False],
    ).with_columns(rank=pl.int_range(1, pl.len() + 1).over("episode_id").cast(pl.Int32))
    return ranked.with_columns(
        attributed=(pl.col("rank") == 1) & (pl.col("confidence") >= min_confidence)
    )
