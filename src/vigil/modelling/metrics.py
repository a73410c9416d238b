"""Metrics for probabilistic risk scores, numpy only.

The ranking metrics compute exactly what scikit-learn's ``roc_auc_score`` and
``average_precision_score`` compute, without importing it: the CI gate's process and the
bootstrap loops (thousands of calls) both stay light.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

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
    y = np.asarray(y, dtype=int)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = _ranks(np.asarray(p, dtype=float))
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def roc_auc_within(y: np.ndarray, p: np.ndarray, blocks: Blocks) -> float | None:
    """ROC-AUC over the (positive, negative) pairs of the same group only: how well each
    group's own rows are ranked, whatever the scale of the scores across groups."""
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
    y = np.asarray(y, dtype=int)
    if not 0 < y.sum() < len(y):
        return None
    order = np.argsort(-np.asarray(p, dtype=float), kind="stable")
    p_sorted, y_sorted = np.asarray(p, dtype=float)[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(p_sorted)), len(y) - 1]  # last row of each score
    tps = np.cumsum(y_sorted)[last]
    precision = tps / (last + 1)
    recall = tps / tps[-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def brier(y: np.ndarray, p: np.ndarray, _: Blocks | None = None) -> float | None:
    """Mean squared error of the probabilities."""
    return float(np.mean((np.asarray(p) - np.asarray(y)) ** 2)) if len(y) else None


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


def summary(y: np.ndarray, p: np.ndarray) -> dict[str, float | int | None]:
    """Rows, positives, ROC-AUC, PR-AUC (None with a single class) and Brier score."""
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    return {
        "rows": len(y),
        "positives": int(y.sum()),
        "roc_auc": roc_auc(y, p),
        "pr_auc": pr_auc(y, p),
        "brier": brier(y, p),
    }


def at_threshold(y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, Any]:
    """ROC-AUC / PR-AUC and, flagging at ``threshold``: accuracy, recall and precision."""
    y = np.asarray(y, dtype=int)
    pred = (np.asarray(p) >= threshold).astype(int)
    hits = int((pred & y).sum())
    return {
        "roc_auc": roc_auc(y, p),
        "pr_auc": pr_auc(y, p),
        "accuracy": float((pred == y).mean()) if len(y) else 0.0,
        "recall": hits / int(y.sum()) if y.sum() else 0.0,
        "precision": hits / int(pred.sum()) if pred.sum() else 0.0,
        "threshold": threshold,
        "n": len(y),
        "n_high_risk": int(y.sum()),
    }


def regression(y: np.ndarray, yhat: np.ndarray) -> dict[str, Any]:
    """R² (None with fewer than two rows or a constant target) and mean absolute error."""
    y, yhat = np.asarray(y, dtype=float), np.asarray(yhat, dtype=float)
    total = float(((y - y.mean()) ** 2).sum()) if len(y) else 0.0
    r2 = 1.0 - float(((y - yhat) ** 2).sum()) / total if len(y) >= 2 and total > 0 else None
    return {"r2": r2, "mae": float(np.abs(y - yhat).mean()) if len(y) else 0.0, "n": len(y)}
