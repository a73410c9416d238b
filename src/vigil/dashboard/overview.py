"""Everything the executive overview shows, loaded in one pass over the areas' read APIs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from vigil.attention.build import current
from vigil.config import VigilConfig
from vigil.risk import read as risk_read
from vigil.warehouse import read


@dataclass
class OverviewData:
    """The overview's inputs: KPIs, scores, the ranked attention list and data quality."""

    data_start: dt.date | None = None
    data_end: dt.date | None = None
    latest_run: dict[str, Any] | None = None
    kpis: pd.DataFrame = field(default_factory=pd.DataFrame)
    tiers: pd.DataFrame = field(default_factory=pd.DataFrame)
    ranked: pd.DataFrame = field(default_factory=pd.DataFrame)
    attention: pd.DataFrame = field(default_factory=pd.DataFrame)
    """every candidate of the day, by rank; ``in_budget`` marks the ones the overview shows"""
    quality: list[dict[str, Any]] = field(default_factory=list)
    urgent: float = 0.6
    """an item at or above this probability is shown as critical (the act-now cut-off)"""

    @property
    def has_data(self) -> bool:
        """True once the pipeline has produced daily feature facts."""
        return self.data_end is not None


def load_overview(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> OverviewData:
    """Read the overview's data from an open (read-only) warehouse."""
    start, end = read.data_window(con)
    run = read.latest_run(con)
    return OverviewData(
        data_start=start,
        data_end=end,
        latest_run=run,
        kpis=read.kpis(con).to_pandas(),
        tiers=risk_read.tier_counts(con).to_pandas(),
        ranked=risk_read.ranked(con).head(5).to_pandas(),
        attention=pd.DataFrame() if end is None else current(con, cfg, end).to_pandas(),
        quality=read.quality_checks(run, cfg.workspace_dir),
        urgent=cfg.risk.tiers.act_now,
    )
