"""The context handed to every pipeline stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from vigil.config import VigilConfig


@dataclass
class RunContext:
    """What a stage needs: config, an open warehouse connection, and what this run changed."""

    cfg: VigilConfig
    con: duckdb.DuckDBPyConnection
    run_id: str
    report_dir: Path
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None))
    """the run's reference time (naive UTC): the config's ``as_of`` or the wall clock"""
    affected_dates: list[dt.date] = field(default_factory=list)
