"""Everything the executive overview shows, loaded in one pass over the warehouse."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from vigil.config import VigilConfig
from vigil.dashboard import queries


@dataclass
class OverviewData:
    """The overview's inputs: KPIs, scores, changes, crossings, patches, fleet, drift, quality."""

    data_start: dt.date | None = None
    data_end: dt.date | None = None
    latest_run: dict[str, Any] | None = None
    kpis: pd.DataFrame = field(default_factory=pd.DataFrame)
    tiers: pd.DataFrame = field(default_factory=pd.DataFrame)
    ranked: pd.DataFrame = field(default_factory=pd.DataFrame)
    crossings: pd.DataFrame = field(default_factory=pd.DataFrame)
    anomalies: pd.DataFrame = field(default_factory=pd.DataFrame)
    patches: pd.DataFrame = field(default_factory=pd.DataFrame)
    fleet: pd.DataFrame = field(default_factory=pd.DataFrame)
    drift: pd.DataFrame = field(default_factory=pd.DataFrame)
    quality: list[dict[str, Any]] = field(default_factory=list)
    crossing_limits: tuple[float, float, float] = (25.0, 0.5, 0.3)
    """p95 latency +%, crash rate +pp, feedback drop: the degradation thresholds"""
    patch_block: float = 0.6
    anomaly_days: int = 7

    @property
    def has_data(self) -> bool:
        """True once the pipeline has produced daily feature facts."""
        return self.data_end is not None


def load_overview(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> OverviewData:
    """Run the overview's queries against an open (read-only) warehouse."""
    start, end = queries.data_window(con)
    run = queries.latest_run(con)
    limits = cfg.risk.thresholds
    crossing = (
        (limits.latency_p95_ratio - 1.0) * 100.0,
        limits.crash_rate_increase_pp,
        limits.feedback_drop,
    )
    return OverviewData(
        data_start=start,
        data_end=end,
        latest_run=run,
        kpis=queries.kpis(con),
        tiers=queries.tier_counts(con),
        ranked=queries.ranked_features(con),
        crossings=queries.threshold_crossings(con, *crossing),
        crossing_limits=crossing,
        anomalies=queries.recent_anomalies(con, cfg.dashboard.anomaly_days),
        patches=queries.patches(con),
        fleet=queries.fleet_risk(con),
        drift=queries.drift_latest(con),
        quality=queries.quality_checks(queries.run_report(run)),
        patch_block=cfg.patches.gate.block,
        anomaly_days=cfg.dashboard.anomaly_days,
    )
