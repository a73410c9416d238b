"""The risk pipeline stage: score the latest day of every feature with the champion model."""

from __future__ import annotations

import logging
from typing import Any

import polars as pl

from vigil.context import RunContext
from vigil.errors import ModelError
from vigil.risk import champion
from vigil.risk.dataset import FEATURES, feature_days
from vigil.risk.scoring import TIERS, score, write_scores
from vigil.risk.train import train_feature_model

log = logging.getLogger(__name__)


def _rows_to_score(frame: pl.DataFrame, extra_dates: list[Any]) -> pl.DataFrame:
    """Each feature's latest day, plus every feature-day on a date this run recomputed."""
    latest = pl.col("score_date") == pl.col("score_date").max().over("feature_id")
    return frame.filter(latest | pl.col("score_date").is_in(extra_dates))


def _date_range(scored: pl.DataFrame) -> dict[str, Any]:
    """How many distinct days were scored, and the first and last of them."""
    days = scored["score_date"]
    return {"days": days.n_unique(), "first": str(days.min()), "last": str(days.max())}


def _champion(ctx: RunContext) -> tuple[Any, Any, str | None]:
    """The champion (training one first when missing or built for other inputs)."""
    loaded = champion.load_champion(ctx.con, ctx.cfg)
    if loaded is not None and loaded[0].features_ == FEATURES:
        return loaded[0], loaded[1], None
    why = "no champion model" if loaded is None else "champion built for other inputs"
    result = train_feature_model(ctx.con, ctx.cfg)
    loaded = champion.load_champion(ctx.con, ctx.cfg)
    if loaded is None or not result.promoted:
        raise ModelError(f"{why} and the newly trained one was not promoted")
    return loaded[0], loaded[1], f"{why}: trained and promoted v{loaded[1].version}"


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Score feature risk into ``feature_risk``; a summary for the run report. Never raises on
    empty or too-short data: the summary says why nothing was scored."""
    rows = ctx.con.execute("SELECT count(*) FROM fact_feature_daily").fetchall()
    if rows[0][0] == 0:
        return {"status": "skipped", "reason": "fact_feature_daily is empty: nothing to score"}
    try:
        model, mv, trained = _champion(ctx)
    except ModelError as exc:
        log.warning("risk stage skipped: %s", exc)
        return {"status": "skipped", "reason": f"no usable feature-risk model: {exc}"}
    frame = feature_days(ctx.con, ctx.cfg.risk)
    targets = _rows_to_score(frame, list(ctx.affected_dates))
    if targets.height == 0:
        return {"status": "skipped", "reason": "no feature has enough history to score yet"}
    scored = score(model, targets, ctx.cfg.risk.tiers)
    written = write_scores(ctx.con, scored, model_version=f"v{mv.version}", run_id=ctx.run_id)
    counts = scored["tier"].value_counts()
    latest = scored.filter(pl.col("score_date") == pl.col("score_date").max())
    top = latest.sort("impact", descending=True).head(3)
    return {
        "status": "ok",
        "rows_written": written,
        "score_dates": _date_range(scored),
        "model_version": mv.version,
        "trained": trained,
        "tiers": {t: int(counts.filter(pl.col("tier") == t)["count"].sum()) for t in TIERS},
        "top": top.select("feature_id", "risk", "impact", "tier", "reason").to_dicts(),
    }
