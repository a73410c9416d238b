"""The high-risk label of a release, with its thresholds taken from the TRAINING releases only.

Modes (``patches.high_risk``):
- ``relative`` (default): the release's post-release error rate over the fleet's error rate in
  the ``pre_window_days`` before it shipped (``pre_error_rate_per_10k``, known at release time);
  high risk when that ratio is at or above the ``value`` quantile of the training releases'
  ratios. The label follows what a release does to the fleet, not how old the fleet is, so its
  positive share does not drift upwards as the fleet ages.
- ``percentile``: the error rate at or above the ``value`` quantile of the training rates.
- ``absolute``: the error rate at or above ``value``.

Fallback of ``relative``: a release without a ratio (no pre-release rate, or a zero one) is
labelled by the percentile rule (its error rate against the ``value`` quantile of the training
rates). When fewer than half of the training releases have a ratio (e.g. no device events at
all), every release is labelled by the percentile rule and the label says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import polars as pl

from vigil.errors import ModelError
from vigil.patches.settings import HighRiskLabel

log = logging.getLogger(__name__)

OUTCOME = "error_rate_per_10k"
PRE_RATE = "pre_error_rate_per_10k"
GIVEN = "outcome_high_risk"
"""a label given per release (mode ``telemetry``: vigil.outcomes), read as is by ``used = given``"""
MIN_RATIO_SHARE = 0.5
"""relative labels need a ratio on at least this share of the training releases"""


def error_ratio(frame: pl.DataFrame) -> np.ndarray:
    """Post-release over pre-release error rate per row; NaN without a positive pre-rate."""
    rate = frame[OUTCOME].cast(pl.Float64).fill_null(np.nan).to_numpy()
    if PRE_RATE not in frame.columns:
        return np.full(frame.height, np.nan)
    pre = frame[PRE_RATE].cast(pl.Float64).fill_null(np.nan).to_numpy()
    ok = np.isfinite(pre) & (pre > 0)
    out = np.full(frame.height, np.nan)
    np.divide(rate, pre, out=out, where=ok)
    return out


def _quantile(values: np.ndarray, q: float) -> float:
    if not 0.0 < q < 1.0:
        raise ModelError(
            "patches.high_risk.value must be a quantile in (0, 1) in percentile and relative mode"
        )
    return float(np.quantile(values, q))


@dataclass(frozen=True)
class Label:
    """A fitted label rule: which mode labels the releases, and its thresholds."""

    mode: str
    """the configured mode"""
    used: str
    """the mode that labels releases: ``mode``, or ``percentile`` after a full fallback"""
    value: float
    threshold_per_10k: float
    """error-rate threshold: the label in percentile / absolute mode, the per-release fallback
    in relative mode"""
    ratio_threshold: float | None = None
    n_train: int = 0
    n_train_without_ratio: int = 0
    fallback: str | None = None

    def apply(self, frame: pl.DataFrame) -> np.ndarray:
        """1 for high risk, else 0, per release row."""
        if self.used == "given":
            if GIVEN not in frame.columns:
                raise ModelError(f"the {self.mode} label needs release_outcome: run 'vigil run'")
            return frame[GIVEN].cast(pl.Int64).fill_null(0).to_numpy()
        rate = frame[OUTCOME].cast(pl.Float64).fill_null(np.nan).to_numpy()
        by_rate = rate >= self.threshold_per_10k
        if self.used != "relative" or self.ratio_threshold is None:
            return by_rate.astype(int)
        ratio = error_ratio(frame)
        return np.where(np.isnan(ratio), by_rate, ratio >= self.ratio_threshold).astype(int)

    def describe(self) -> str:
        """One line for the CLI and logs."""
        if self.used == "given":
            return f"high risk: the release's {self.mode} outcome (table release_outcome)"
        if self.used == "relative":
            text = (
                f"high risk: error rate / pre-release fleet rate >= {self.ratio_threshold:.3g} "
                f"(the {self.value:g} quantile of {self.n_train} training releases)"
            )
            if self.n_train_without_ratio:
                text += (
                    f"; {self.n_train_without_ratio} training releases without a pre-release "
                    f"rate use error rate >= {self.threshold_per_10k:.4g} per 10k"
                )
            return text
        rule = "" if self.used == "absolute" else f" (the {self.value:g} quantile of training)"
        text = f"high risk: error rate >= {self.threshold_per_10k:.4g} per 10k{rule}"
        return text + (f"; fallback: {self.fallback}" if self.fallback else "")

    def as_dict(self) -> dict[str, Any]:
        """For patch_metrics.json and the registry (``from_dict`` reads it back)."""
        return {
            "mode": self.mode,
            "value": self.value,
            "used": self.used,
            "threshold_per_10k": self.threshold_per_10k,
            "ratio_threshold": self.ratio_threshold,
            "n_train": self.n_train,
            "n_train_without_ratio": self.n_train_without_ratio,
            "fallback": self.fallback,
            "definition": self.describe(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Label:
        """A stored label; versions trained before relative labels hold a rate threshold only."""
        mode = str(data.get("mode", "percentile"))
        ratio = data.get("ratio_threshold")
        return cls(
            mode=mode,
            used=str(data.get("used", mode)),
            value=float(data.get("value", 0.8)),
            threshold_per_10k=float(data.get("threshold_per_10k", 0.0)),
            ratio_threshold=None if ratio is None else float(ratio),
            n_train=int(data.get("n_train", 0)),
            n_train_without_ratio=int(data.get("n_train_without_ratio", 0)),
            fallback=data.get("fallback"),
        )


def fit_label(train: pl.DataFrame, rule: HighRiskLabel) -> Label:
    """The label's thresholds from the training releases (mature outcomes) only."""
    rates = train[OUTCOME].cast(pl.Float64).drop_nulls().to_numpy()
    if rates.size == 0:
        raise ModelError("no training release has an outcome: cannot set the high-risk label")
    base = Label(rule.mode, rule.mode, rule.value, float(rule.value), n_train=train.height)
    if rule.mode == "absolute":
        return base
    by_rate = _quantile(rates, rule.value)
    if rule.mode == "percentile":
        return replace(base, threshold_per_10k=by_rate)
    ratio = error_ratio(train)
    known = ratio[~np.isnan(ratio)]
    missing = train.height - known.size
    if known.size == 0 or known.size < MIN_RATIO_SHARE * train.height:
        reason = (
            f"only {known.size} of {train.height} training releases have a pre-release error "
            "rate (device events before the release): labelled by percentile of error rate"
        )
        log.info("patch label: %s", reason)
        return replace(base, used="percentile", threshold_per_10k=by_rate, fallback=reason)
    return replace(
        base,
        threshold_per_10k=by_rate,
        ratio_threshold=_quantile(known, rule.value),
        n_train_without_ratio=missing,
        fallback=(
            f"{missing} training releases without a pre-release error rate labelled by "
            "percentile of error rate"
            if missing
            else None
        ),
    )
