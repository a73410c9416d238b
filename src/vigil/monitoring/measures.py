"""One column measured: the test Evidently would pick, its statistic, PSI and missing-share change.

Verdicts are not decided here: p-values still need the correction across all columns
(see :mod:`vigil.monitoring.drift`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vigil.monitoring import stats
from vigil.monitoring.kinds import Pair, labels, numbers, positive_label
from vigil.monitoring.settings import ColumnKind, DriftSettings

SMALL_SAMPLE_TEST = {"numeric": "ks", "categorical": "chi_square", "binary": "z_test"}
LARGE_SAMPLE_TEST = {
    "numeric": "wasserstein",
    "categorical": "jensen_shannon",
    "binary": "jensen_shannon",
}


@dataclass
class Measurement:
    """What was measured on one column, before correction and verdict."""

    column: str
    kind: ColumnKind
    test: str
    reference_rows: int
    current_rows: int
    missing_share_reference: float
    missing_share_current: float
    statistic: float | None = None
    p_value: float | None = None
    distance: float | None = None
    psi: float | None = None
    missing_p_value: float | None = None
    missing_drift: bool = False
    change: str = ""
    """the shift in words, e.g. 'mean 212 -> 268'"""

    @property
    def sufficient(self) -> bool:
        """Whether values could be compared at all (the small-sample guard passed)."""
        return self.test != "none"


def _fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _missing(m: Measurement, pair: Pair, settings: DriftSettings) -> None:
    """Missing share as its own signal: a large enough change that is also significant."""
    n_ref, n_cur = pair.reference_total, pair.current_total
    if n_ref < settings.min_rows or n_cur < settings.min_rows:
        return
    delta = m.missing_share_current - m.missing_share_reference
    if abs(delta) < settings.missing_share_delta:
        return
    k_ref, k_cur = n_ref - len(pair.reference), n_cur - len(pair.current)
    _, p = stats.proportion_z_test(k_ref, n_ref, k_cur, n_cur)
    m.missing_p_value = p
    m.missing_drift = p < settings.p_value


def _numeric(m: Measurement, ref: np.ndarray, cur: np.ndarray, settings: DriftSettings) -> None:
    m.psi = stats.numeric_psi(ref, cur, settings.psi_bins)
    m.change = f"mean {_fmt(float(ref.mean()))} -> {_fmt(float(cur.mean()))}"
    if m.test == "ks":
        m.statistic, m.p_value = stats.ks_test(ref, cur)
    else:
        m.distance = stats.wasserstein_normed(ref, cur)
        m.statistic = m.distance


def _category_counts(ref: np.ndarray, cur: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    keys = sorted(set(ref.tolist()) | set(cur.tolist()))
    index = {k: i for i, k in enumerate(keys)}
    ref_counts = np.bincount([index[v] for v in ref], minlength=len(keys))
    cur_counts = np.bincount([index[v] for v in cur], minlength=len(keys))
    return keys, ref_counts, cur_counts


def _categorical(m: Measurement, ref: np.ndarray, cur: np.ndarray, positive: str | None) -> None:
    keys, ref_counts, cur_counts = _category_counts(ref, cur)
    ref_shares, cur_shares = stats.to_shares(ref_counts), stats.to_shares(cur_counts)
    m.psi = stats.psi(ref_shares, cur_shares)
    if positive is not None:
        i = keys.index(positive) if positive in keys else None
        r, c = (ref_shares[i], cur_shares[i]) if i is not None else (0.0, 0.0)
        m.change = f"share of '{positive}' {_pct(r)} -> {_pct(c)}"
    else:
        i = int(np.argmax(np.abs(cur_shares - ref_shares)))
        m.change = f"'{keys[i]}' {_pct(ref_shares[i])} -> {_pct(cur_shares[i])}"
    if m.test == "chi_square":
        m.statistic, m.p_value = stats.chi_square_test(ref_counts, cur_counts)
    elif m.test == "z_test":
        k_ref = int(ref_counts[keys.index(positive)]) if positive in keys else 0
        k_cur = int(cur_counts[keys.index(positive)]) if positive in keys else 0
        m.statistic, m.p_value = stats.proportion_z_test(k_ref, len(ref), k_cur, len(cur))
    else:
        m.distance = stats.jensen_shannon(ref_shares, cur_shares)
        m.statistic = m.distance


def _share(missing: int, total: int) -> float:
    return missing / total if total else 0.0


def measure_column(pair: Pair, kind: ColumnKind, settings: DriftSettings) -> Measurement:
    """Measure one column; too few non-missing rows leaves test 'none' (insufficient data)."""
    n_ref, n_cur = len(pair.reference), len(pair.current)
    enough = n_ref >= settings.min_rows and n_cur >= settings.min_rows
    # Evidently looks at the reference size only; a small current sample makes the distances
    # noisy (Wasserstein > 0.1 on ~8% of same-distribution samples of 500 rows), so both count.
    small = min(n_ref, n_cur) <= settings.small_sample_rows
    table = SMALL_SAMPLE_TEST if small else LARGE_SAMPLE_TEST
    m = Measurement(
        column=pair.name,
        kind=kind,
        test=table[kind] if enough else "none",
        reference_rows=n_ref,
        current_rows=n_cur,
        missing_share_reference=_share(pair.reference_total - n_ref, pair.reference_total),
        missing_share_current=_share(pair.current_total - n_cur, pair.current_total),
    )
    _missing(m, pair, settings)
    if not enough:
        return m
    if kind == "numeric":
        _numeric(m, numbers(pair.reference), numbers(pair.current), settings)
    else:
        positive = positive_label(pair) if kind == "binary" else None
        _categorical(m, labels(pair.reference), labels(pair.current), positive)
    return m
