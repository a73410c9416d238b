"""One telemetry outcome per release from the attributed episodes.

A release is high risk once an episode is attributed to it. It is clean once its window
(``outcomes.window_days`` after release) has closed by the last complete day with nothing
attributed; until then its outcome is unknown (``high_risk`` NULL, ``mature`` false). A release
shipped before the detectors' first scored day stays unknown too: its regressions fell while
the baseline was still forming, so "nothing attributed" would not mean clean. The
confidence is the label's: the best attribution's confidence for a regressed release, one minus
its best candidate confidence for a clean one.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

OUTCOME_COLUMNS = (
    "firmware_version",
    "source",
    "release_date",
    "mature",
    "high_risk",
    "confidence",
    "regressions",
    "features",
    "error_rate_per_10k",
    "rma_rate",
    "evidence",
)


def describe(row: dict[str, object]) -> str:
    """One attribution in words, e.g. 'latency_p95_ms regression on F012 from 2026-02-03,
    2 days after rollout (touched it; bad events 3.1x as often on versions carrying it; which
    served 40% of the feature's events; dose r=+0.64; confidence 0.82)'."""
    days = row["days_since"]
    parts = ["touched it" if row["touched"] else "did not touch it"]
    lift, dose, exposure = row.get("version_lift"), row.get("dose"), row.get("exposure")
    if isinstance(lift, float):
        parts.append(f"bad events {lift:.2g}x as often on versions carrying it")
    if isinstance(exposure, float):
        parts.append(f"which served {exposure:.0%} of the feature's events")
    if isinstance(dose, float):
        parts.append(f"dose r={dose:+.2f}")
    parts.append(f"confidence {float(row['confidence']):.2f}")  # type: ignore[arg-type]
    unit = "day" if days == 1 else "days"
    return (
        f"{row['metric']} regression on {row['feature_id']} from {row['start_date']}, "
        f"{days} {unit} after rollout ({'; '.join(parts)})"
    )


def release_outcomes(
    releases: pl.DataFrame,
    pairs: pl.DataFrame,
    through: dt.date,
    window_days: int,
    observed_from: dt.date | None = None,
) -> pl.DataFrame:
    """release_outcome rows (source telemetry) for every release (firmware_version,
    release_date, deployment_id); ``observed_from``: the detectors' first scored day."""
    described = pairs.with_columns(
        text=pl.Series([describe(r) for r in pairs.iter_rows(named=True)], dtype=pl.Utf8)
    )
    hits = (
        described.filter("attributed")
        .sort("confidence", descending=True)
        .group_by("deployment_id")
        .agg(
            regressions=pl.len().cast(pl.Int32),
            features=pl.col("feature_id").unique(maintain_order=True).sort().str.join(";"),
            hit_confidence=pl.col("confidence").max(),
            hit_text=pl.col("text").str.join("; "),
        )
    )
    best = (
        described.sort("confidence", descending=True)
        .group_by("deployment_id")
        .agg(best_confidence=pl.col("confidence").first(), best_text=pl.col("text").first())
    )
    out = releases.join(hits, on="deployment_id", how="left").join(
        best, on="deployment_id", how="left"
    )
    closes = pl.col("release_date") + pl.duration(days=window_days)
    observed = pl.col("release_date") >= pl.lit(observed_from or dt.date.min)
    mature = pl.col("deployment_id").is_not_null() & (closes <= pl.lit(through)) & observed
    hit = pl.col("regressions").is_not_null()
    return out.select(
        "firmware_version",
        source=pl.lit("telemetry"),
        release_date="release_date",
        mature=mature | hit,
        high_risk=pl.when(hit).then(True).when(mature).then(False),
        confidence=pl.when(hit)
        .then("hit_confidence")
        .when(mature)
        .then(1.0 - pl.col("best_confidence").fill_null(0.0)),
        regressions=pl.col("regressions").fill_null(0),
        features="features",
        error_rate_per_10k=pl.lit(None, pl.Float64),
        rma_rate=pl.lit(None, pl.Float64),
        evidence=_evidence(closes, hit, mature, observed_from),
    )


def _evidence(
    closes: pl.Expr, hit: pl.Expr, mature: pl.Expr, observed_from: dt.date | None
) -> pl.Expr:
    best = pl.lit("; closest: ") + pl.col("best_text")
    unseen = pl.lit(
        f"shipped before the detectors' first scored day ({observed_from}): not observed"
    )
    return (
        pl.when(hit)
        .then(pl.lit("caused ") + pl.col("hit_text"))
        .when(pl.col("deployment_id").is_null())
        .then(pl.lit("no deployment of this version: telemetry cannot be attributed to it"))
        .when(mature)
        .then(pl.lit("no regression attributed in its window") + best.fill_null(""))
        .when(pl.col("release_date") < pl.lit(observed_from or dt.date.min))
        .then(unseen)
        .otherwise(pl.lit("window open until ") + closes.cast(pl.Utf8))
    )
