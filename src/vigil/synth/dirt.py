"""The dirt of real telemetry: missing feature-days, malformed rows, exact duplicates, late rows.

Malformed, late and duplicated rows are disjoint sets, so an ingest can account for each exactly.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from vigil.synth.spec import WorldSpec, stream
from vigil.synth.telemetry import Columns, concat, take

MISSING_STREAM, DIRT_STREAM = 20, 21
MALFORMED_KINDS = (
    "null_feature_id",
    "unknown_feature_id",
    "negative_latency",
    "nan_latency",
    "inf_latency",
    "feedback_out_of_range",
    "future_timestamp",
)
FUTURE_OFFSET_DAYS = 3650
"""future timestamps lie ~10 years after the world: in the future of any real run date too"""


def missing_days(spec: WorldSpec) -> np.ndarray:
    """Bool (features x days): the feature sent nothing that day."""
    rng = stream(spec.seed, MISSING_STREAM)
    return np.asarray(rng.random((spec.n_features, spec.days)) < spec.missing_day_share)


def drop_features(cols: Columns, missing: np.ndarray) -> Columns:
    """Drop the rows of features that are missing today (``missing``: bool per feature)."""
    return take(cols, np.flatnonzero(~missing[cols["feat"]]))


def corrupt(
    spec: WorldSpec, cols: Columns, rng: np.random.Generator
) -> tuple[Columns, Counter[str]]:
    """Break a binomial(malformed_share) sample of rows, one contract violation each."""
    n = len(cols["us"])
    idx = rng.choice(n, size=rng.binomial(n, spec.malformed_share), replace=False)
    kinds = rng.integers(0, len(MALFORMED_KINDS), idx.size)
    cols = {k: v.copy() for k, v in cols.items()}
    cols["bad"] = np.zeros(n, bool)
    cols["bad"][idx] = True
    for k, name in enumerate(MALFORMED_KINDS):
        rows = idx[kinds == k]
        _break(spec, cols, rows, name, rng)
    return cols, Counter({name: int((kinds == k).sum()) for k, name in enumerate(MALFORMED_KINDS)})


def _break(
    spec: WorldSpec, cols: Columns, rows: np.ndarray, kind: str, rng: np.random.Generator
) -> None:
    if kind == "null_feature_id":
        cols["feat"][rows] = spec.n_features + 1
    elif kind == "unknown_feature_id":
        cols["feat"][rows] = spec.n_features
    elif kind == "negative_latency":
        cols["latency"][rows] = -np.maximum(cols["latency"][rows], 1.0)
    elif kind == "nan_latency":
        cols["latency"][rows] = np.nan
    elif kind == "inf_latency":
        cols["latency"][rows] = np.inf
    elif kind == "feedback_out_of_range":
        cols["feedback"][rows] = rng.choice([0.0, 6.0, 7.0, 10.0], rows.size)
    else:
        end_us = spec.start_us + (spec.days + FUTURE_OFFSET_DAYS) * 86_400_000_000
        cols["us"][rows] = end_us + rng.integers(0, 365 * 86_400_000_000, rows.size)


def split_late(
    spec: WorldSpec, cols: Columns, day: int, rng: np.random.Generator
) -> tuple[Columns, dict[int, Columns]]:
    """Hold back a binomial(late_share) sample of good rows for a later day's partition."""
    good = np.flatnonzero(~cols["bad"])
    if day >= spec.days - 1 or good.size == 0:
        return cols, {}
    late = np.sort(rng.choice(good, size=rng.binomial(good.size, spec.late_share), replace=False))
    target = np.minimum(spec.days - 1, day + rng.integers(1, spec.max_late_days + 1, late.size))
    keep = np.setdiff1d(np.arange(len(cols["us"])), late, assume_unique=True)
    held = {int(t): take(cols, late[target == t]) for t in np.unique(target)}
    return take(cols, keep), held


def duplicate(spec: WorldSpec, cols: Columns, rng: np.random.Generator) -> tuple[Columns, int]:
    """Repeat a binomial(duplicate_share) sample of good rows exactly, right after the original."""
    good = np.flatnonzero(~cols["bad"])
    dup = rng.choice(good, size=rng.binomial(good.size, spec.duplicate_share), replace=False)
    order = np.sort(np.concatenate([np.arange(len(cols["us"])), dup]), kind="stable")
    return take(cols, order), int(dup.size)


def with_late(cols: Columns, arriving: list[Columns]) -> Columns:
    """Append rows that arrive late into today's partition (at the end, as they arrived)."""
    return concat([cols, *arriving]) if arriving else cols
