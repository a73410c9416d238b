"""Verdicts in words: one sentence per column naming the test, its numbers and the shift."""

from __future__ import annotations

from vigil.monitoring.measures import Measurement
from vigil.monitoring.settings import DriftSettings

TEST_NAMES = {
    "ks": "KS",
    "chi_square": "chi-square",
    "z_test": "z-test",
    "wasserstein": "Wasserstein distance (reference std units)",
    "jensen_shannon": "Jensen-Shannon distance",
}
CORRECTION_NAMES = {"holm": "Holm", "bonferroni": "Bonferroni"}


def fmt_p(p: float) -> str:
    """A p-value short enough to read: 0.004, 0.412, 3.2e-07."""
    return f"{p:.1e}" if p < 1e-4 else f"{p:.3g}"


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _compare(drifted: bool) -> str:
    return "<" if drifted else ">="


def _test_clause(
    m: Measurement, p_adjusted: float | None, value_drift: bool, settings: DriftSettings
) -> str:
    name = TEST_NAMES[m.test]
    if m.p_value is None:
        verb = ">=" if value_drift else "<"
        return f"{name} {m.distance:.3f} {verb} {settings.distance_threshold:g}"
    text = f"{name} p={fmt_p(m.p_value)}"
    if settings.correction != "none" and p_adjusted is not None:
        text += f" ({CORRECTION_NAMES[settings.correction]}-adjusted {fmt_p(p_adjusted)})"
    return f"{text} {_compare(value_drift)} {settings.p_value:g}"


def _psi_clause(m: Measurement, settings: DriftSettings) -> str:
    """PSI, labelled only on large samples: on small ones its noise alone nears 0.1-0.2."""
    psi = m.psi or 0.0
    text = f"PSI {psi:.3f}"
    if min(m.reference_rows, m.current_rows) <= settings.small_sample_rows:
        return text
    if psi >= settings.psi_major:
        return f"{text} (major)"
    return f"{text} (drift)" if psi >= settings.psi_drift else text


def _missing_clause(m: Measurement, settings: DriftSettings) -> str:
    shares = f"{_pct(m.missing_share_reference)} -> {_pct(m.missing_share_current)}"
    if m.missing_p_value is None:
        return f"missing share {shares}"
    p = fmt_p(m.missing_p_value)
    return f"missing share {shares} (z-test p={p} {_compare(m.missing_drift)} {settings.p_value:g})"


def reason(
    m: Measurement, p_adjusted: float | None, value_drift: bool, settings: DriftSettings
) -> str:
    """'latency_p95_ms: KS p=0.001 (Holm-adjusted 0.004) < 0.05; mean 212 -> 268; PSI 0.31'."""
    if not m.sufficient:
        parts = [
            f"insufficient data ({m.reference_rows} reference / {m.current_rows} current "
            f"non-missing rows; need {settings.min_rows} each)"
        ]
    else:
        parts = [_test_clause(m, p_adjusted, value_drift, settings), m.change]
        if m.psi is not None:
            parts.append(_psi_clause(m, settings))
    if m.missing_drift:
        parts.insert(0, _missing_clause(m, settings))
    elif m.missing_p_value is not None or m.missing_share_current or m.missing_share_reference:
        parts.append(_missing_clause(m, settings))
    return f"{m.column}: " + "; ".join(parts)
