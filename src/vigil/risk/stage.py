"""The risk pipeline stage: score the latest complete day of every feature.

With a trained champion (or enough mature days to train one) the model scores; before that (a
short history, the cold start) the transparent rules of :mod:`vigil.risk.rules` do, labelled as
such. The switch either way is recorded in the model registry (``feature_risk_rules``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import polars as pl

from vigil.context import RunContext
from vigil.detection.completeness import last_complete_day
from vigil.errors import ModelError
from vigil.risk import champion, rules
from vigil.risk.dataset import FEATURES, feature_days
from vigil.risk.scoring import TIERS, score, write_scores
from vigil.risk.train import asof_patch_risk, refresh_current_estimate, train_feature_model

log = logging.getLogger(__name__)


def _rows_to_score(frame: pl.DataFrame, extra_dates: list[Any], cutoff: dt.date) -> pl.DataFrame:
    """Each feature's latest complete day, plus every complete feature-day on a date this run
    recomputed (a day still arriving is never scored)."""
    frame = frame.filter(pl.col("score_date") <= cutoff)
    latest = pl.col("score_date") == pl.col("score_date").max().over("feature_id")
    return frame.filter(latest | pl.col("score_date").is_in(extra_dates))


def _date_range(scored: pl.DataFrame) -> dict[str, Any]:
    """How many distinct days were scored, and the first and last of them."""
    days = scored["score_date"]
    return {"days": days.n_unique(), "first": str(days.min()), "last": str(days.max())}


def _champion(ctx: RunContext, mature: int) -> tuple[Any, Any, str | None]:
    """The champion (training one first when missing or built for other inputs, once at least
    ``rules.MIN_MATURE_DAYS`` days have mature labels). ModelError when there is none."""
    loaded = champion.load_champion(ctx.con, ctx.cfg)
    if loaded is not None and loaded[0].features_ == FEATURES:
        return loaded[0], loaded[1], None
    why = "no champion model" if loaded is None else "champion built for other inputs"
    if mature < rules.MIN_MATURE_DAYS:
        raise ModelError(
            f"{why}, and {mature} days with a mature label are too few to train one "
            f"(needs {rules.MIN_MATURE_DAYS})"
        )
    result = train_feature_model(ctx.con, ctx.cfg)
    loaded = champion.load_champion(ctx.con, ctx.cfg)
    if loaded is None or not result.promoted:
        raise ModelError(f"{why} and the newly trained one was not promoted")
    return loaded[0], loaded[1], f"{why}: trained and promoted v{loaded[1].version}"


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Score feature risk into ``feature_risk``; a summary for the run report. Never raises on
    empty or too-short data: a short history is scored by the rules, and the summary says why."""
    rows = ctx.con.execute("SELECT max(event_date) FROM fact_feature_daily").fetchall()
    if rows[0][0] is None:
        return {"status": "skipped", "reason": "fact_feature_daily is empty: nothing to score"}
    cutoff = min(rows[0][0], last_complete_day(ctx.now, ctx.cfg.detection.lateness_hours))
    mature = rules.mature_days(ctx.con, ctx.cfg.risk.horizon_days, cutoff)
    try:
        model, mv, trained = _champion(ctx, mature)
    except ModelError as exc:
        log.info("risk stage: rules-based scores (%s)", exc)
        return _rules_stage(ctx, cutoff, str(exc))
    frame = feature_days(ctx.con, ctx.cfg.risk, asof_patch_risk(ctx.con, ctx.cfg))  # as trained
    targets = _rows_to_score(frame, list(ctx.affected_dates), cutoff)
    if targets.height == 0:
        return {"status": "skipped", "reason": "no feature has enough history to score yet"}
    scored = score(model, targets, ctx.cfg.risk.tiers)
    written = write_scores(ctx.con, scored, model_version=f"v{mv.version}", run_id=ctx.run_id)
    switched = rules.record_model_serving(ctx.con, ctx.cfg, mv.version)
    complete = frame.filter(pl.col("score_date") <= cutoff)
    estimate = refresh_current_estimate(ctx.cfg, model, mv.version, complete)
    complete = frame.filter(pl.col("score_date") <= cutoff)
    estimate = refresh_current_estimate(ctx.cfg, model, mv.version, complete)
    return {
        "status": "ok",
        "method": "model",
        "rows_written": written,
        "score_dates": _date_range(scored),
        "model_version": mv.version,
        "trained": trained,
        "switched_from_rules": switched,
        "estimate_refreshed": estimate is not None,
        "performance_estimate": estimate,
        **_tiers_and_top(scored),
    }


def _rules_stage(ctx: RunContext, day: dt.date, why: str) -> dict[str, Any]:
    """Cold start: every feature scored by the rules at ``day``, the rules scorer recorded as
    serving in the registry."""
    scored = rules.score_rules(ctx.con, ctx.cfg, day)
    if scored.height == 0:
        return {"status": "skipped", "reason": f"no feature has data on {day}: {why}"}
    version = rules.record_rules_serving(ctx.con, ctx.cfg, why)
    written = write_scores(ctx.con, scored, model_version=rules.RULES_VERSION, run_id=ctx.run_id)
    return {
        "status": "ok",
        "method": "rules",
        "why_rules": why,
        "rows_written": written,
        "score_dates": _date_range(scored),
        "model_version": rules.RULES_VERSION,
        "registry": f"{rules.RULES_MODEL} v{version}",
        **_tiers_and_top(scored),
    }


def _tiers_and_top(scored: pl.DataFrame) -> dict[str, Any]:
    """Tier counts over every scored row and the three highest-impact features of the last day."""
    counts = scored["tier"].value_counts()
    latest = scored.filter(pl.col("score_date") == pl.col("score_date").max())
    top = latest.sort("impact", descending=True).head(3)
    return {
        "tiers": {t: int(counts.filter(pl.col("tier") == t)["count"].sum()) for t in TIERS},
        "top": top.select("feature_id", "risk", "impact", "tier", "reason").to_dicts(),
    }
