"""Tiny generated data for the monitoring tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from vigil.config import VigilConfig

START = dt.date(2026, 1, 1)


def settings_config(root: Path, **drift: object) -> VigilConfig:
    """A config rooted at ``root`` with drift settings overridden."""
    return VigilConfig.model_validate({"root": root, "drift": drift})


def fact_frame(
    days: int, features: int = 6, *, seed: int = 0, shift_from: int | None = None
) -> pl.DataFrame:
    """feature x day facts; from day ``shift_from`` on, p95 latency is 60% higher."""
    rng = np.random.default_rng(seed)
    rows = []
    for day in range(days):
        for f in range(features):
            p95 = rng.normal(200.0 + 10 * f, 15.0)
            if shift_from is not None and day >= shift_from:
                p95 *= 1.6
            rows.append(
                {
                    "feature_id": f"f{f:02d}",
                    "event_date": START + dt.timedelta(days=day),
                    "usage_count": int(rng.poisson(500)),
                    "latency_p95_ms": p95,
                    "crash_rate": float(rng.beta(2, 400)),
                }
            )
    return pl.DataFrame(rows)


def load_facts(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> None:
    """Replace fact_feature_daily with ``frame`` (other columns stay NULL)."""
    con.execute("DELETE FROM fact_feature_daily")
    con.register("facts", frame.to_arrow())
    con.execute("INSERT INTO fact_feature_daily BY NAME SELECT * FROM facts")
    con.unregister("facts")


STAGE_COLUMNS = ["usage_count", "latency_p95_ms", "crash_rate"]
