"""Effort-aware ranking metrics for just-in-time defect prediction and QA prioritisation.

Definitions follow the ISSTA 2021 protocol (see ``benchmarks/data/jit/SOURCE.md``): the effort of a
change is the lines it touches (la + ld); changes are reviewed in ranked order.

- Recall@20%Effort: share of defective changes found once 20% of all effort is spent (a change
  counts only if it fits entirely within the budget).
- Effort@20%Recall: share of all effort spent when 20% of the defective changes are found.
- Popt = 1 - (A_opt - A_model) / (A_opt - A_worst), with A the area under the cumulative
  recall-vs-effort curve; the optimal ranking orders by true defect density (defects per line,
  highest first), the worst by the reverse.

These few lines of numpy are hand-written because scikit-learn has no effort-aware metrics.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vigil.errors import InputError

BUDGET = 0.2


def _arrays(
    labels: ArrayLike, effort: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    y = np.asarray(labels, dtype=float)
    e = np.asarray(effort, dtype=float)
    if y.shape != e.shape or y.ndim != 1:
        raise InputError("labels and effort must be 1-D arrays of the same length")
    if len(y) == 0 or y.sum() <= 0:
        raise InputError("effort-aware metrics need at least one defective change (label 1)")
    if (e < 0).any() or e.sum() <= 0:
        raise InputError("effort must be non-negative with a positive total (check the columns)")
    return y, e


def curve(labels: ArrayLike, effort: ArrayLike, order: ArrayLike) -> tuple[NDArray, NDArray]:
    """Cumulative (effort share, recall) when reviewing in ``order``, starting at (0, 0)."""
    y, e = _arrays(labels, effort)
    idx = np.asarray(order)
    x = np.concatenate([[0.0], np.cumsum(e[idx]) / e.sum()])
    r = np.concatenate([[0.0], np.cumsum(y[idx]) / y.sum()])
    return x, r


def rank_by_score(scores: ArrayLike) -> NDArray[np.int64]:
    """Review order: highest score first; ties keep input order (stable)."""
    return np.argsort(-np.asarray(scores, dtype=float), kind="stable")


def _density_order(labels: ArrayLike, effort: ArrayLike, *, best: bool) -> NDArray[np.int64]:
    y, e = _arrays(labels, effort)
    density = y / np.maximum(e, 1e-9)
    # Among equal densities the optimal curve spends small efforts first, the worst big ones.
    keys = (e, -density) if best else (-e, density)
    return np.lexsort(keys)


def area(labels: ArrayLike, effort: ArrayLike, order: ArrayLike) -> float:
    """Area under the cumulative recall-vs-effort curve (trapezoids, x and y in [0, 1])."""
    x, r = curve(labels, effort, order)
    return float(np.trapezoid(r, x))


def recall_at_effort(
    labels: ArrayLike, effort: ArrayLike, order: ArrayLike, budget: float = BUDGET
) -> float:
    """Share of defective changes found within ``budget`` of the total effort."""
    x, r = curve(labels, effort, order)
    within = np.flatnonzero(x <= budget + 1e-12)
    return float(r[within[-1]])


def effort_at_recall(
    labels: ArrayLike, effort: ArrayLike, order: ArrayLike, target: float = BUDGET
) -> float:
    """Share of the total effort spent when ``target`` recall is first reached."""
    x, r = curve(labels, effort, order)
    first = int(np.argmax(r >= target - 1e-12))
    return float(x[first])


def popt(labels: ArrayLike, effort: ArrayLike, order: ArrayLike) -> float:
    """Popt = 1 - (A_opt - A_model) / (A_opt - A_worst); 1 is optimal, 0 the worst ranking."""
    a_opt = area(labels, effort, _density_order(labels, effort, best=True))
    a_worst = area(labels, effort, _density_order(labels, effort, best=False))
    if a_opt - a_worst <= 0:
        return 1.0
    return float(1.0 - (a_opt - area(labels, effort, order)) / (a_opt - a_worst))


def effort_metrics(labels: ArrayLike, effort: ArrayLike, order: ArrayLike) -> dict[str, float]:
    """Recall@20%Effort, Effort@20%Recall and Popt for one review order."""
    return {
        "recall_at_20_effort": recall_at_effort(labels, effort, order),
        "effort_at_20_recall": effort_at_recall(labels, effort, order),
        "popt": popt(labels, effort, order),
    }


def smallest_first(effort: ArrayLike) -> NDArray[np.int64]:
    """The no-model baseline: review the smallest changes first (stable on ties)."""
    return np.argsort(np.asarray(effort, dtype=float), kind="stable")
