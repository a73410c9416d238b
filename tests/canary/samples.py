"""Crafted event samples with known answers (fixed seeds)."""

from __future__ import annotations

import numpy as np
import polars as pl


def events(
    n: int,
    seed: int,
    *,
    latency_ms: float = 200.0,
    crash_rate: float = 0.001,
    errors_per_event: float = 0.05,
    feedback_mean: float = 4.2,
) -> pl.DataFrame:
    """``n`` events: log-normal latency, Bernoulli crashes, Poisson errors, 5% with feedback."""
    rng = np.random.default_rng(seed)
    feedback = np.clip(np.round(rng.normal(feedback_mean, 0.8, n)), 1.0, 5.0)
    return pl.DataFrame(
        {
            "latency_ms": np.round(np.exp(rng.normal(np.log(latency_ms), 0.45, n)), 1),
            "crashed": rng.random(n) < crash_rate,
            "error_count": rng.poisson(errors_per_event, n),
            "feedback_score": np.where(rng.random(n) < 0.05, feedback, np.nan),
        }
    ).with_columns(pl.col("feedback_score").fill_nan(None))


def with_crashes(frame: pl.DataFrame, count: int) -> pl.DataFrame:
    """The same events with exactly ``count`` crashes (the first ``count`` rows)."""
    flags = np.zeros(frame.height, dtype=bool)
    flags[:count] = True
    return frame.with_columns(pl.Series("crashed", flags))
