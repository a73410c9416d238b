"""Pipeline stage `attention`: draw up today's ranked list and store it in ``attention_item``."""

from __future__ import annotations

import logging
from typing import Any

import polars as pl

from vigil.attention import store
from vigil.attention.build import draw_up
from vigil.attention.signals import latest_day
from vigil.context import RunContext

log = logging.getLogger(__name__)


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Rank every signal of the latest day; keep ``attention.budget`` items in the budget."""
    day = latest_day(ctx.con)
    if day is None:
        return {"status": "skipped", "reason": "no feature data yet"}
    items = draw_up(ctx.con, ctx.cfg, day)
    written = store.write(ctx.con, day, items, ctx.run_id)
    shown = items.filter(pl.col("in_budget"))
    log.info("attention: %d items, %d within the budget", written, shown.height)
    return {
        "status": "ok",
        "as_of": day.isoformat(),
        "candidates": written,
        "shown": shown.height,
        "budget": ctx.cfg.attention.budget,
        "top": shown.head(3).select("item_key", "probability", "signals").to_dicts(),
    }
