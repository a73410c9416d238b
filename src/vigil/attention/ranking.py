"""One ranked list from many signals: combine per item, order on one scale, cap at the budget.

Pure functions over polars frames, so the pipeline stage, the dashboard, the CLI and the
benchmark rank the same way. A *signal* row names an item (``item_key``: a feature, a firmware,
a pending patch, the dataset) and carries the probability that the item is right. An item's
probability combines its signals as independent evidence (noisy-OR: 1 - prod(1 - p)), so two
signals on one feature rank it above either alone, and it appears once, with all its evidence.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

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
"""qualifies: the signal may raise an item on its own (a low risk score only adds evidence)"""

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


def combine(signals: pl.DataFrame) -> pl.DataFrame:
    """One row per item that has a qualifying signal: noisy-OR probability, all evidence."""
    if signals.height == 0:
        return _empty_items()
    ordered = signals.sort(["probability", "source"], descending=[True, False])
    return (
        ordered.group_by("item_key", maintain_order=True)
        .agg(
            kind=pl.col("kind").first(),
            title=pl.col("title").first(),
            probability=1.0 - (1.0 - pl.col("probability").clip(0.0, 1.0)).product(),
            users_exposed=pl.col("users_exposed").max(),
            signals=pl.col("source").str.join(";"),
            evidence=pl.col("text").str.join("; "),
            qualifies=pl.col("qualifies").any(),
        )
        .filter(pl.col("qualifies"))
        .drop("qualifies")
        .with_columns(expected_users=pl.col("probability") * pl.col("users_exposed"))
    )


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
    signals: pl.DataFrame, budget: int, rank_by: RankBy = "probability"
) -> pl.DataFrame:
    """Combine and rank: every candidate, the first ``budget`` marked ``in_budget``."""
    return rank(combine(signals), budget, rank_by)


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
