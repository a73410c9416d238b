"""QA prioritisation: which pending patches to test first for a fixed amount of QA effort.

Patches are ranked by expected regressions caught per line of QA effort (risk / effort, effort =
lines_added + lines_deleted unless configured), so a small risky patch comes before a huge one of
the same risk. Buckets follow the review budget, walking down the ranked list:

    critical  the patches that fit in the first 10% of the total QA effort
    high      the next ones, up to 20% (critical + high = the Recall@20%Effort budget)
    medium    up to 50%
    low       the rest

When the file carries outcomes (a 0/1 label column), the ranking is scored with Recall@20%Effort,
Effort@20%Recall and Popt beside the smallest-change-first baseline.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from vigil.errors import InputError, MissingColumnsError, ModelError
from vigil.patches.effort import effort_metrics, rank_by_score, smallest_first

if TYPE_CHECKING:
    from vigil.config import VigilConfig

log = logging.getLogger(__name__)

DEFAULT_EFFORT = ("lines_added", "lines_deleted")
LABEL_CANDIDATES = ("regression", "is_regression", "bug", "high_risk", "label")
BUCKETS = ((0.10, "critical"), (0.20, "high"), (0.50, "medium"))  # effort-share limits


def effort_of(df: pl.DataFrame, effort_column: str | None, source: str = "<patches>") -> pl.Series:
    """QA effort per patch: the configured column, else lines_added + lines_deleted."""
    columns = [effort_column] if effort_column else list(DEFAULT_EFFORT)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise MissingColumnsError(source, missing, "QA effort; or pass --effort-column")
    numbers = df.select(pl.col(columns).cast(pl.Float64, strict=False))
    if numbers.null_count().sum_horizontal().item() or (numbers < 0).sum_horizontal().sum():
        raise InputError(
            f"effort columns {', '.join(columns)} need non-negative numbers", file=source
        )
    return numbers.select(pl.sum_horizontal(columns)).to_series().alias("effort")


def prioritise(
    df: pl.DataFrame,
    effort_column: str | None = None,
    risk_column: str = "risk",
    *,
    source: str = "<patches>",
) -> pl.DataFrame:
    """Rank patches by risk per line of effort; add qa_rank, bucket and cumulative shares."""
    if risk_column not in df.columns:
        raise MissingColumnsError(source, [risk_column], "risk scores")
    risk = df[risk_column].cast(pl.Float64, strict=False)
    if risk.null_count() or not risk.is_between(0.0, 1.0).all():
        raise InputError(f"column '{risk_column}' must hold risks between 0 and 1", file=source)
    effort = effort_of(df, effort_column, source)
    priority = risk / effort.clip(lower_bound=1.0)
    ranked = df.with_columns(
        risk.alias("risk"), effort, (priority * 1000.0).alias("risk_per_kloc")
    )[rank_by_score(priority.to_numpy())]
    total_effort = max(float(ranked["effort"].sum()), 1e-9)
    total_risk = max(float(ranked["risk"].sum()), 1e-9)
    ranked = ranked.with_columns(
        pl.int_range(1, ranked.height + 1).alias("qa_rank"),
        (pl.col("effort").cum_sum() / total_effort).alias("cumulative_effort_share"),
        (pl.col("risk").cum_sum() / total_risk).alias("cumulative_expected_share"),
    )
    return ranked.with_columns(_bucket(pl.col("cumulative_effort_share")).alias("bucket"))


def _bucket(share: pl.Expr) -> pl.Expr:
    (critical, _), (high, _), (medium, _) = BUCKETS
    eps = 1e-12
    return (
        pl.when(share <= critical + eps)
        .then(pl.lit("critical"))
        .when(share <= high + eps)
        .then(pl.lit("high"))
        .when(share <= medium + eps)
        .then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
    )


def ranking_metrics(ranked: pl.DataFrame, label_column: str) -> dict[str, Any]:
    """Effort-aware metrics of the QA order vs smallest change first (needs a 0/1 label)."""
    labels = ranked[label_column].cast(pl.Float64, strict=False)
    if labels.null_count() or not labels.is_in([0.0, 1.0]).all():
        raise InputError(f"column '{label_column}' must be 0 or 1 to score the QA order")
    y, effort = labels.to_numpy(), ranked["effort"].to_numpy()
    if y.sum() == 0:
        return {"label_column": label_column, "note": "no regressions among these patches"}
    return {
        "label_column": label_column,
        "qa_order": _rounded(effort_metrics(y, effort, np.arange(len(y)))),
        "smallest_change_first": _rounded(effort_metrics(y, effort, smallest_first(effort))),
    }


def _rounded(metrics: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in metrics.items()}


def qa_queue(
    path: Path,
    *,
    risk_column: str = "risk",
    effort_column: str | None = None,
    label_column: str | None = None,
    cfg: VigilConfig | None = None,
) -> tuple[pl.DataFrame, dict[str, Any] | None]:
    """Read a patches CSV, score it if it has no risk column, rank it, and score the ranking."""
    df = read_patches(path)
    if label_column and label_column not in df.columns:
        raise MissingColumnsError(path, [label_column], "outcome labels")
    effort_of(df, effort_column, str(path))  # fail on effort before spending time on scoring
    if risk_column not in df.columns:
        df = _score(df, cfg, risk_column)
    ranked = prioritise(df, effort_column, risk_column, source=str(path))
    label = label_column or next((c for c in LABEL_CANDIDATES if c in df.columns), None)
    return ranked, ranking_metrics(ranked, label) if label else None


def read_patches(path: Path) -> pl.DataFrame:
    """The pending-patches CSV, or an InputError naming the file."""
    if not path.is_file():
        raise InputError("file not found (pass a patches CSV)", file=path)
    try:
        df = pl.read_csv(path, infer_schema_length=None)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise InputError(f"not a readable CSV ({exc.__class__.__name__})", file=path) from exc
    if df.height == 0:
        raise InputError("no patches in the file", file=path)
    return df


def _score(df: pl.DataFrame, cfg: VigilConfig | None, risk_column: str) -> pl.DataFrame:
    """Risk from the patch model (vigil.patches.scoring) when the file has no risk column."""
    if cfg is None:
        raise ModelError(
            f"no '{risk_column}' column and no config to find the patch model "
            "(add the column or pass -c vigil.yaml)"
        )
    try:
        from vigil.patches.scoring import score_patches  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        raise ModelError("patch scoring is not available (train a patch model first)") from exc
    scored = score_patches(df, cfg)
    if not isinstance(scored, pl.DataFrame):  # tolerate a pandas frame from the scorer
        scored = pl.from_pandas(scored)
    return scored.rename({"risk": risk_column}) if risk_column != "risk" else scored
