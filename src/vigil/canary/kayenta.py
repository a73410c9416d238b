"""A re-implementation of Kayenta's default judge, the baseline the canary is measured against.

Every metric gets the same test: Mann-Whitney at 98% confidence with the Hodges-Lehmann interval;
a metric is High (Low) when the interval's lower (upper) bound clears a quarter of the estimate's
size above (below) zero, and either direction fails it (Kayenta's default ``direction: either``).
The score is the share of passing metrics; Pass at 75, Marginal at 50 (Kayenta's defaults).
On mostly-zero data (crashes) the pairwise differences are mostly zero, so the interval collapses
onto zero and the metric passes whatever the rates do: the weakness the rate test fixes.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from vigil.canary.stats import hodges_lehmann

COLUMNS = ("latency_ms", "crashed", "error_count", "feedback_score")
CONFIDENCE = 0.98
FRACTION = 0.25
PASS_SCORE, MARGINAL_SCORE = 75.0, 50.0


def classify(candidate: np.ndarray, baseline: np.ndarray, confidence: float = CONFIDENCE) -> str:
    """Pass | High | Low | NoData for one metric."""
    if candidate.size == 0 or baseline.size == 0:
        return "NoData"
    if np.array_equal(np.sort(candidate), np.sort(baseline)):
        return "Pass"
    s = hodges_lehmann(candidate, baseline, confidence, 0.0, "higher")
    bound = FRACTION * abs(s.estimate)
    if s.low > bound:
        return "High"
    if s.high < -bound:
        return "Low"
    return "Pass"


def kayenta_judge(
    baseline: pl.DataFrame, candidate: pl.DataFrame, confidence: float = CONFIDENCE
) -> tuple[str, float | None]:
    """(verdict, score) of Kayenta's default judge on the event samples."""
    found = [classify(_values(candidate, c), _values(baseline, c), confidence) for c in COLUMNS]
    judged = [f for f in found if f != "NoData"]
    if not judged:
        return "NoData", None
    value = 100.0 * sum(f == "Pass" for f in judged) / len(judged)
    if value >= PASS_SCORE:
        return "Pass", value
    return ("Marginal" if value >= MARGINAL_SCORE else "Fail"), value


def _values(frame: pl.DataFrame, column: str) -> np.ndarray:
    return frame.get_column(column).drop_nulls().cast(pl.Float64).to_numpy()
