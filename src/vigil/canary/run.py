"""One canary judgement end to end: load both cohorts from the warehouse, judge, store."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

import duckdb

from vigil.canary import store
from vigil.canary.data import load_cohorts, newest_pair
from vigil.canary.judge import Judgement, judge
from vigil.canary.settings import CanarySettings
from vigil.errors import InputError
from vigil.warehouse.connection import open_warehouse

if TYPE_CHECKING:
    from vigil.config import VigilConfig

log = logging.getLogger(__name__)

EXIT_CODES = {"Pass": 0, "Marginal": 0, "Fail": 1, "NoData": 2}


def judge_versions(
    con: duckdb.DuckDBPyConnection,
    settings: CanarySettings,
    versions: tuple[str, str],
    now: dt.datetime,
    feature_id: str | None = None,
) -> Judgement:
    """Judge candidate ``versions[1]`` against baseline ``versions[0]`` over their common window
    ending at ``now``, and append the result to ``canary_verdict`` (judged at ``now``)."""
    cohorts = load_cohorts(con, versions, now, settings.window_days, feature_id)
    found = judge(
        cohorts.baseline,
        cohorts.candidate,
        settings,
        names=versions,
        feature_id=feature_id,
        window=(cohorts.start, cohorts.end),
    )
    store.write(con, found, now)
    log.info("canary %s vs %s: %s (score %s)", versions[1], versions[0], found.verdict, found.score)
    return found


def exit_code(verdict: str, fail_on_marginal: bool = False) -> int:
    """0 Pass (and Marginal unless ``fail_on_marginal``), 1 Fail, 2 NoData (too little data)."""
    if verdict == "Marginal" and fail_on_marginal:
        return 1
    return EXIT_CODES[verdict]


def judge_newest(cfg: VigilConfig) -> dict[str, Any]:
    """One judgement on the latest data (the demo's): the newest version with enough events
    against the busiest older one; ``{"skipped": why}`` when there is no such pair."""
    now = cfg.run_clock()
    with open_warehouse(cfg.warehouse_path) as con:
        try:
            pair = newest_pair(con, now, cfg.canary.window_days, cfg.canary.min_events)
            if pair is None:
                return {"skipped": "fewer than two versions with enough events to compare"}
            return judge_versions(con, cfg.canary, pair, now).as_dict()
        except InputError as exc:
            return {"skipped": str(exc)}


def headline(payload: dict[str, Any]) -> str:
    """One line for a summary: the verdict and the failing metrics' reasons."""
    if "skipped" in payload:
        return f"Canary: skipped ({payload['skipped']})"
    failing = [m["reason"] for m in payload["metrics"] if m["verdict"] == "Fail"]
    return f"Canary {payload['summary']}" + (f" — {'; '.join(failing)}" if failing else "")
