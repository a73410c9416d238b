"""Performance while labels lag: confidence-based performance estimation (CBPE, as NannyML does).

A feature-day's label is known only ``horizon`` days later, so the latest days cannot be scored
against outcomes yet. If the champion's probabilities are calibrated, each score ``p`` is the
chance the row turns out positive, so the *expected* confusion matrix at any cut-off is
``TP = sum(p)`` and ``FP = sum(1 - p)`` over the rows above it. From that come the expected
precision of the act-now tier and of each day's top k, the expected PR-AUC (each row's chance of
being positive times the expected precision at its rank were it positive, over the expected
positives) and ROC-AUC (expected concordant pairs over expected pairs). The estimate is only as
good as the calibration: it is shown beside the last realised figures, with the estimate on that
same labelled period as a check.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

log = logging.getLogger(__name__)

ESTIMATE_KEY = "performance_estimate"


def expected_precision(p: np.ndarray) -> float | None:
    """Expected precision of flagging every row in ``p`` (their mean probability)."""
    p = np.asarray(p, dtype=float)
    return float(p.mean()) if p.size else None


def expected_pr_auc(p: np.ndarray) -> float | None:
    """Expected average precision of ranking rows by their own calibrated probability."""
    p = np.sort(np.asarray(p, dtype=float))[::-1]
    if p.size == 0 or p.sum() <= 0:
        return None
    above = np.cumsum(p) - p  # expected positives ranked above each row
    precision_if_positive = (1.0 + above) / np.arange(1, p.size + 1)
    return float(np.sum(p * precision_if_positive) / p.sum())


def expected_roc_auc(p: np.ndarray) -> float | None:
    """Expected ROC-AUC: the chance a positive outranks a negative, positives drawn from ``p``."""
    p = np.sort(np.asarray(p, dtype=float))[::-1]
    negatives = 1.0 - p
    if p.sum() <= 0 or negatives.sum() <= 0:
        return None
    below = negatives.sum() - np.cumsum(negatives)  # expected negatives ranked below each row
    pairs = p.sum() * negatives.sum() - np.sum(p * negatives)  # a row never pairs with itself
    return float(np.sum(p * below) / pairs) if pairs > 0 else None


def _top_k(frame: pl.DataFrame, k: int) -> pl.DataFrame:
    return frame.filter(pl.col("p").rank("ordinal", descending=True).over("score_date") <= k)


def estimate(frame: pl.DataFrame, act_now: float, k: int) -> dict[str, Any]:
    """Expected precision (act-now tier, daily top k) and PR/ROC-AUC from calibrated ``p``.

    ``frame`` holds score_date and p (the champion's calibrated probability).
    """
    p = frame["p"].to_numpy()
    tier = p[p >= act_now]
    return {
        "rows": frame.height,
        "days": frame["score_date"].n_unique(),
        "first": str(frame["score_date"].min()),
        "last": str(frame["score_date"].max()),
        "act_now_rows": int(tier.size),
        "precision_act_now": expected_precision(tier),
        "precision_top_k": expected_precision(_top_k(frame, k)["p"].to_numpy()),
        "pr_auc": expected_pr_auc(p),
        "roc_auc": expected_roc_auc(p),
    }


def realised(frame: pl.DataFrame, label: str, act_now: float, k: int) -> dict[str, Any]:
    """The same figures from the labels themselves (``label``), for a labelled period."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    y = frame[label].cast(pl.Int8).to_numpy()
    p = frame["p"].to_numpy()
    both = len(np.unique(y)) == 2
    top = _top_k(frame, k)
    return {
        "rows": frame.height,
        "first": str(frame["score_date"].min()),
        "last": str(frame["score_date"].max()),
        "act_now_rows": int((p >= act_now).sum()),
        "precision_act_now": float(y[p >= act_now].mean()) if (p >= act_now).any() else None,
        "precision_top_k": float(top[label].cast(pl.Int8).mean()) if top.height else None,  # type: ignore[arg-type]
        "pr_auc": float(average_precision_score(y, p)) if both else None,
        "roc_auc": float(roc_auc_score(y, p)) if both else None,
    }


def performance_report(
    labelled: pl.DataFrame, unlabelled: pl.DataFrame, label: str, act_now: float, k: int
) -> dict[str, Any]:
    """Last realised figures, the estimate on that same period, and the current estimate.

    Both frames hold score_date and p; ``labelled`` also holds ``label``.
    """
    return {
        "method": "CBPE: expected confusion matrix from calibrated probabilities",
        "top_k": k,
        "act_now": act_now,
        "last_realised": realised(labelled, label, act_now, k) if labelled.height else None,
        "estimated_on_realised_period": estimate(labelled, act_now, k) if labelled.height else None,
        "current_estimate": estimate(unlabelled, act_now, k) if unlabelled.height else None,
    }


def load_estimate(reports_dir: Path) -> dict[str, Any] | None:
    """The feature-risk performance estimate stored in reports/metrics.json, if any."""
    path = reports_dir / "metrics.json"
    try:
        payload = json.loads(path.read_text()) if path.is_file() else {}
    except (OSError, json.JSONDecodeError) as exc:
        log.warning("cannot read %s: %s", path, exc)
        return None
    section = payload.get("feature_risk") if isinstance(payload, dict) else None
    found = section.get(ESTIMATE_KEY) if isinstance(section, dict) else None
    return found if isinstance(found, dict) else None


METRIC_LABELS = {
    "precision_act_now": "precision, act-now tier",
    "precision_top_k": "precision, daily top k",
    "pr_auc": "PR-AUC",
    "roc_auc": "ROC-AUC",
}


def _period(part: dict[str, Any] | None) -> str:
    return f"{part['first']} .. {part['last']}" if part else "none"


def estimate_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per metric: last realised, estimated on that period, estimated now (for display)."""
    parts = {
        f"realised ({_period(report.get('last_realised'))})": report.get("last_realised"),
        "estimated, same period": report.get("estimated_on_realised_period"),
        f"estimated now ({_period(report.get('current_estimate'))}, unlabelled)": report.get(
            "current_estimate"
        ),
    }
    return [
        {"metric": label, **{name: (part or {}).get(key) for name, part in parts.items()}}
        for key, label in METRIC_LABELS.items()
    ]
