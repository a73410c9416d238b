"""Release-level evaluation: ranking, calibration and the catch curve, each with a bootstrap
interval.

The catch curve is the share of regressing (high-risk) releases caught when the riskiest
5 / 10 / 20 / 50% of releases are gated (rounded up), counted within each group (a world or a
workspace) and pooled. Intervals are 90% percentile bootstraps that resample releases within
each group; every score is resampled with the same indices, so models meet the same draws.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

CATCH_SHARES = (5, 10, 20, 50)
BINS = 10
Blocks = list[slice]
"""Each group's rows: the rows are ordered by group, so a group is a slice."""
Metric = Callable[[np.ndarray, np.ndarray, Blocks], float | None]


def _ranks(p: np.ndarray) -> np.ndarray:
    """Average ranks (1-based, ties share their mean rank)."""
    order = np.argsort(p, kind="stable")
    sorted_p = p[order]
    first = np.r_[True, np.diff(sorted_p) != 0]
    group = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], len(p)]
    ranks = np.empty(len(p))
    ranks[order] = ((starts + ends + 1) / 2)[group]
    return ranks


def roc_auc(y: np.ndarray, p: np.ndarray, _: Blocks | None = None) -> float | None:
    """ROC-AUC (Mann-Whitney, ties count half), None when only one class is present."""
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    return float((_ranks(p)[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def roc_auc_within(y: np.ndarray, p: np.ndarray, blocks: Blocks) -> float | None:
    """ROC-AUC over the (positive, negative) pairs of the same group only: how well each
    group's own releases are ranked, whatever the scale of the scores across groups."""
    concordant = pairs = 0.0
    for b in blocks:
        yb = y[b]
        n_pos = int(yb.sum())
        n_neg = len(yb) - n_pos
        if n_pos and n_neg:
            concordant += float(_ranks(p[b])[yb == 1].sum() - n_pos * (n_pos + 1) / 2)
            pairs += n_pos * n_neg
    return concordant / pairs if pairs else None


def pr_auc(y: np.ndarray, p: np.ndarray, _: Blocks | None = None) -> float | None:
    """Average precision (as scikit-learn computes it), None when only one class is present."""
    if not 0 < y.sum() < len(y):
        return None
    order = np.argsort(-p, kind="stable")
    p_sorted, y_sorted = p[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(p_sorted)), len(y) - 1]  # last row of each score
    tps = np.cumsum(y_sorted)[last]
    precision = tps / (last + 1)
    recall = tps / tps[-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def brier(y: np.ndarray, p: np.ndarray, _: Blocks | None = None) -> float | None:
    """Mean squared error of the probabilities."""
    return float(np.mean((p - y) ** 2)) if len(y) else None


def _bins(p: np.ndarray, bins: int) -> np.ndarray:
    return np.clip((p * bins).astype(int), 0, bins - 1)


def ece(y: np.ndarray, p: np.ndarray, _: Blocks | None = None) -> float | None:
    """Expected calibration error: the bin-size-weighted |mean predicted - observed rate| over
    ten equal-width bins."""
    if not len(y):
        return None
    which = _bins(p, BINS)
    gap = np.bincount(which, weights=p, minlength=BINS) - np.bincount(
        which, weights=y, minlength=BINS
    )
    return float(np.abs(gap).sum() / len(y))


def reliability(y: np.ndarray, p: np.ndarray) -> list[dict[str, float]]:
    """The reliability curve: per non-empty bin, its range, mean predicted, observed rate, n."""
    which = _bins(p, BINS)
    return [
        {
            "bin_low": b / BINS,
            "bin_high": (b + 1) / BINS,
            "mean_predicted": float(p[which == b].mean()),
            "observed_rate": float(y[which == b].mean()),
            "count": int((which == b).sum()),
        }
        for b in np.unique(which)
    ]


def catch(share: int) -> Metric:
    """The share of all positives found among the riskiest ``share``% of each group."""

    def caught(y: np.ndarray, s: np.ndarray, blocks: Blocks) -> float | None:
        total = y.sum()
        if total == 0:
            return None
        hit = 0
        for block in blocks:
            n_gate = math.ceil(share * (block.stop - block.start) / 100)
            hit += int(y[block][np.argsort(-s[block], kind="stable")[:n_gate]].sum())
        return hit / float(total)

    return caught


RANKING: dict[str, Metric] = {"roc_auc": roc_auc, "pr_auc": pr_auc}
PROBABILITY: dict[str, Metric] = {"brier": brier, "ece": ece}
CATCH: dict[str, Metric] = {str(k): catch(k) for k in CATCH_SHARES}


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


def _interval(values: list[float], n_draws: int) -> list[float] | None:
    """5th-95th percentile, None when fewer than half of the draws define the metric."""
    if not values or len(values) < n_draws / 2:
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
        out[name] = {"value": fn(y, s, blocks), "ci90": _interval(values, len(draws))}
    return out


def _expected_random(share: int, y: np.ndarray, blocks: Blocks) -> float | None:
    """Expected catch of a random order: each group's gated share, weighted by its positives."""
    if y.sum() == 0:
        return None
    caught = 0.0
    for b in blocks:
        n = b.stop - b.start
        caught += float(y[b].sum()) * math.ceil(share * n / 100) / n
    return caught / float(y.sum())


def random_catch(y: np.ndarray, blocks: Blocks, n: int, seed: int) -> dict[str, dict[str, Any]]:
    """Gating at random: the expected catch, and the 5th-95th percentile over ``n`` orders."""
    rng = np.random.default_rng(seed)
    orders = [rng.random(len(y)) for _ in range(n)]
    out: dict[str, dict[str, Any]] = {}
    for name, fn in CATCH.items():
        values = [v for s in orders if (v := fn(y, s, blocks)) is not None]
        out[name] = {
            "value": _expected_random(int(name), y, blocks),
            "ci90": _interval(values, n),
        }
    return out


def evaluate(
    y: np.ndarray,
    scores: Mapping[str, np.ndarray],
    probabilities: set[str],
    groups: np.ndarray,
    *,
    n_boot: int,
    seed: int,
    extra: Mapping[str, Metric] | None = None,
) -> dict[str, Any]:
    """``models`` ({name: {metric: {"value", "ci90"}}}: ROC-AUC, PR-AUC and any ``extra``
    ranking metric of every score, Brier and ECE of the ``probabilities``) and
    ``catch_curve`` ({name: {"5": {...}, ...}}, with gating at random beside them), every
    interval from the same draws."""
    order = np.argsort(groups, kind="stable")
    y = np.asarray(y, dtype=int)[order]
    blocks = blocks_of(np.asarray(groups)[order])
    draws = resamples(blocks, n_boot, seed)
    models, curve = {}, {}
    for name, raw in scores.items():
        s = np.asarray(raw, dtype=float)[order]
        metrics = {**RANKING, **(extra or {}), **(PROBABILITY if name in probabilities else {})}
        models[name] = scored(metrics, y, s, blocks, draws)
        curve[name] = scored(CATCH, y, s, blocks, draws)
    curve["random"] = random_catch(y, blocks, max(n_boot, 1), seed)
    return {"models": models, "catch_curve": curve}
