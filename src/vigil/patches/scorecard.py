"""Release-level evaluation: ranking, calibration and the catch curve, each with a bootstrap
interval.

The catch curve is the share of regressing (high-risk) releases caught when the riskiest
5 / 10 / 20 / 50% of releases are gated (rounded up), counted within each group (a world or a
workspace) and pooled. Intervals are 90% percentile bootstraps that resample releases within
each group; every score is resampled with the same indices, so models meet the same draws.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from vigil.modelling.intervals import blocks_of, ci90, resamples, scored
from vigil.modelling.metrics import (
    Blocks,
    Metric,
    brier,
    catch,
    ece,
    pr_auc,
    roc_auc,
)

CATCH_SHARES = (5, 10, 20, 50)


RANKING: dict[str, Metric] = {"roc_auc": roc_auc, "pr_auc": pr_auc}
PROBABILITY: dict[str, Metric] = {"brier": brier, "ece": ece}
CATCH: dict[str, Metric] = {str(k): catch(k) for k in CATCH_SHARES}


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
            "ci90": ci90(values, n),
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
