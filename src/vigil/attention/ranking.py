"""One ranked list from many signals: combine per item, order on one scale, cap at the budget.

Pure functions over polars frames, so the pipeline stage, the dashboard, the CLI and the
benchmark rank the same way. A *signal* row names an item (``item_key``: a feature, a firmware,
the pending patches, the dataset) and what was seen. Each item appears once, with all its
evidence, and one probability of being right: for a feature, the logistic evidence model of
:class:`~vigil.attention.settings.FeatureEvidence` over its risk score, anomaly and crossing; for
other items, their signals' probabilities combined as independent evidence (1 - prod(1 - p)).
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from vigil.attention.settings import FeatureEvidence

SIGNAL_SCHEMA: dict[str, pl.DataType] = {
    "item_key": pl.Utf8(),
    "kind": pl.Utf8(),
    "title": pl.Utf8(),
    "source": pl.Utf8(),
    "probability": pl.Float64(),
    "users_exposed": pl.Float64(),
    "qualifies": pl.Boolean(),
    "text": pl.Utf8(),
}
"""qualifies: the signal may raise an item on its own (a low risk score only adds evidence);
probability: the risk score for ``risk``, the item's chance for non-feature signals, null for
``anomaly`` and ``crossing`` (the feature evidence model weighs them)"""
SOURCE_ORDER = ("risk", "crossing", "anomaly", "fleet", "patch", "drift")
FEATURE_SOURCES = ("risk", "anomaly", "crossing")

ITEM_COLUMNS = (
    "rank",
    "item_key",
    "kind",
    "title",
    "probability",
    "users_exposed",
    "expected_users",
    "signals",
    "evidence",
    "in_budget",
)
RankBy = Literal["probability", "expected_users"]


def empty_signals() -> pl.DataFrame:
    """A signal frame with no rows."""
    return pl.DataFrame(schema=SIGNAL_SCHEMA)


def combine(signals: pl.DataFrame, evidence: FeatureEvidence | None = None) -> pl.DataFrame:
    """One row per item that has a qualifying signal: its probability and all its evidence."""
    if signals.height == 0:
        return _empty_items()
    ev = evidence or FeatureEvidence()
    order = pl.col("source").replace_strict(
        {s: i for i, s in enumerate(SOURCE_ORDER)}, default=len(SOURCE_ORDER)
    )
    p = pl.col("probability").clip(0.0, 1.0)
    items = (
        signals.sort(order, "source", maintain_order=True)
        .group_by("item_key", maintain_order=True)
        .agg(
            kind=pl.col("kind").first(),
            title=pl.col("title").first(),
            risk=p.filter(pl.col("source") == "risk").first(),
            anomaly=(pl.col("source") == "anomaly").any(),
            crossing=(pl.col("source") == "crossing").any(),
            other=1.0 - (1.0 - p.filter(~pl.col("source").is_in(FEATURE_SOURCES))).product(),
            users_exposed=pl.col("users_exposed").max(),
            signals=pl.col("source").str.join(";"),
            evidence=pl.col("text").str.join("; "),
            qualifies=pl.col("qualifies").any(),
        )
        .filter(pl.col("qualifies"))
    )
    probability = pl.when(pl.col("kind") == "feature").then(feature_probability(ev))
    return items.with_columns(probability=probability.otherwise(pl.col("other"))).select(
        "item_key",
        "kind",
        "title",
        "probability",
        "users_exposed",
        "signals",
        "evidence",
        expected_users=pl.col("probability") * pl.col("users_exposed"),
    )


def feature_probability(ev: FeatureEvidence) -> pl.Expr:
    """logistic(intercept + w_risk x logit(risk) + w_anomaly [anomaly] + w_crossing [crossing])."""
    risk = pl.col("risk").fill_null(ev.prior_risk).clip(0.001, 0.999)
    z = (
        ev.intercept
        + ev.risk * (risk / (1.0 - risk)).log()
        + ev.anomaly * pl.col("anomaly").cast(pl.Float64)
        + ev.crossing * pl.col("crossing").cast(pl.Float64)
    )
    return 1.0 / (1.0 + (-z).exp())


def rank(items: pl.DataFrame, budget: int, rank_by: RankBy = "probability") -> pl.DataFrame:
    """Order items on one scale (ties: more users first, then key) and mark the first ``budget``."""
    if items.height == 0:
        return _empty_items()
    first = "probability" if rank_by == "probability" else "expected_users"
    ordered = items.with_columns(
        _users=pl.col("users_exposed").fill_null(0.0),
        _score=pl.col(first).fill_null(0.0),
    ).sort(["_score", "_users", "item_key"], descending=[True, True, False])
    return (
        ordered.with_columns(
            rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int32),
        )
        .with_columns(in_budget=pl.col("rank") <= budget)
        .select(ITEM_COLUMNS)
    )


def attention_list(
    signals: pl.DataFrame,
    budget: int,
    rank_by: RankBy = "probability",
    evidence: FeatureEvidence | None = None,
) -> pl.DataFrame:
    """Combine and rank: every candidate, the first ``budget`` marked ``in_budget``."""
    return rank(combine(signals, evidence), budget, rank_by)


def _empty_items() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "rank": pl.Int32(),
            "item_key": pl.Utf8(),
            "kind": pl.Utf8(),
            "title": pl.Utf8(),
            "probability": pl.Float64(),
            "users_exposed": pl.Float64(),
            "expected_users": pl.Float64(),
            "signals": pl.Utf8(),
            "evidence": pl.Utf8(),
            "in_budget": pl.Boolean(),
        }
    )
