"""Two samples of one distribution: drift must stay quiet (<= 5% false alarms over 200 draws)."""

from __future__ import annotations

import numpy as np
import polars as pl

from vigil.monitoring.drift import detect_drift
from vigil.monitoring.settings import DriftSettings

DEFAULTS = DriftSettings.model_validate({})
RESAMPLES = 200


def _false_alarm_rate(n_ref: int, n_cur: int, columns: int, seed: int) -> tuple[float, float]:
    """(share of columns drifted, share of draws with dataset drift) over RESAMPLES draws."""
    rng = np.random.default_rng(seed)
    drifted = dataset = 0
    for _ in range(RESAMPLES):
        names = [f"x{i}" for i in range(columns)]
        reference = pl.DataFrame({n: rng.lognormal(5.0, 0.5, n_ref) for n in names})
        current = pl.DataFrame({n: rng.lognormal(5.0, 0.5, n_cur) for n in names})
        report = detect_drift(reference, current, DEFAULTS)
        drifted += len(report.drifted_columns)
        dataset += report.dataset_drift
    return drifted / (RESAMPLES * columns), dataset / RESAMPLES


def test_small_samples_ks_false_alarm_rate() -> None:
    column_rate, dataset_rate = _false_alarm_rate(200, 100, columns=1, seed=0)
    assert column_rate <= 0.05
    assert dataset_rate <= 0.05


def test_large_samples_distance_false_alarm_rate() -> None:
    column_rate, dataset_rate = _false_alarm_rate(1500, 1100, columns=1, seed=1)
    assert column_rate <= 0.05
    assert dataset_rate <= 0.05


def test_holm_keeps_the_family_quiet_across_columns() -> None:
    column_rate, dataset_rate = _false_alarm_rate(100, 100, columns=3, seed=2)
    assert column_rate <= 0.05
    assert dataset_rate <= 0.05


def test_a_small_current_sample_gets_a_p_value_test_even_with_a_large_reference() -> None:
    rng = np.random.default_rng(3)
    reference = pl.DataFrame({"x": rng.normal(0, 1, 5000)})
    current = pl.DataFrame({"x": rng.normal(0, 1, 300)})
    (col,) = detect_drift(reference, current, DEFAULTS).columns
    assert col.test == "ks"
