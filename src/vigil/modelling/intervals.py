"""Bootstrap intervals: resample rows within their group, score every draw, take 5th-95th."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from vigil.modelling.metrics import Blocks, Metric


def blocks_of(groups: np.ndarray) -> Blocks:
    """The slices of a sorted array of integer group ids."""
    edges = np.r_[0, np.flatnonzero(np.diff(groups)) + 1, len(groups)]
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(edges)]


def resamples(blocks: Blocks, n: int, seed: int) -> list[np.ndarray]:
    """``n`` bootstrap index sets; each redraws every group from itself, keeping its slice."""
    rng = np.random.default_rng(seed)
    return [
        np.concatenate([rng.integers(b.start, b.stop, b.stop - b.start) for b in blocks])
        for _ in range(n)
    ]


def ci90(values: Sequence[float], n_draws: int | None = None) -> list[float] | None:
    """5th-95th percentile; None when fewer than half of the ``n_draws`` define the metric."""
    needed = (n_draws or len(values)) / 2
    if not len(values) or len(values) < needed:
        return None
    return [float(np.percentile(values, 5)), float(np.percentile(values, 95))]


def scored(
    metrics: Mapping[str, Metric],
    y: np.ndarray,
    s: np.ndarray,
    blocks: Blocks,
    draws: list[np.ndarray],
) -> dict[str, dict[str, Any]]:
    """``{metric: {"value", "ci90"}}`` on the rows and over the bootstrap draws."""
    out: dict[str, dict[str, Any]] = {}
    for name, fn in metrics.items():
        values = [v for i in draws if (v := fn(y[i], s[i], blocks)) is not None]
        out[name] = {"value": fn(y, s, blocks), "ci90": ci90(values, len(draws))}
    return out
