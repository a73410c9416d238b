"""detect_drift: fires on injected shifts, stays quiet on one distribution, explains itself."""

from __future__ import annotations

import json
import re

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.errors import InputError, MissingColumnsError
from vigil.monitoring.drift import ColumnDrift, DriftReport, detect_drift
from vigil.monitoring.settings import DriftSettings

DEFAULTS = DriftSettings.model_validate({})


def by_column(report: DriftReport) -> dict[str, ColumnDrift]:
    return {c.column: c for c in report.columns}


def test_numeric_mean_shift_fires_ks_with_reason() -> None:
    rng = np.random.default_rng(1)
    reference = pl.DataFrame({"latency_p95_ms": rng.normal(212, 30, 300)})
    current = pl.DataFrame({"latency_p95_ms": rng.normal(268, 30, 300)})
    (col,) = detect_drift(reference, current, DEFAULTS).columns
    assert (col.kind, col.test, col.drifted, col.verdict) == ("numeric", "ks", True, "drift")
    assert col.p_value is not None and col.p_value < 1e-10
    before, after = reference["latency_p95_ms"].mean(), current["latency_p95_ms"].mean()
    assert col.reason == (
        f"latency_p95_ms: KS p={col.p_value:.1e} (Holm-adjusted {col.p_value:.1e}) < 0.05; "
        f"mean {before:.0f} -> {after:.0f}; PSI {col.psi:.3f}"
    )


def test_categorical_mix_change_fires_chi_square() -> None:
    rng = np.random.default_rng(2)
    reference = pl.DataFrame({"region": rng.choice(["eu", "us", "ap"], 400, p=[0.4, 0.4, 0.2])})
    current = pl.DataFrame({"region": rng.choice(["eu", "us", "ap"], 400, p=[0.6, 0.3, 0.1])})
    (col,) = detect_drift(reference, current, DEFAULTS).columns
    assert (col.kind, col.test, col.drifted) == ("categorical", "chi_square", True)
    assert col.reason.startswith("region: chi-square p=")
    assert "'eu'" in col.reason


def test_binary_rate_change_fires_z_test() -> None:
    rng = np.random.default_rng(3)
    reference = pl.DataFrame({"crashed": rng.random(500) < 0.05})
    current = pl.DataFrame({"crashed": rng.random(500) < 0.15})
    (col,) = detect_drift(reference, current, DEFAULTS).columns
    assert (col.kind, col.test, col.drifted) == ("binary", "z_test", True)
    assert re.search(r"z-test p=\S+ \(Holm-adjusted \S+\) < 0\.05; share of 'true' ", col.reason)


def test_missing_share_jump_is_drift_on_its_own() -> None:
    rng = np.random.default_rng(4)
    values = rng.normal(4.0, 0.5, 400)
    reference = pl.DataFrame({"feedback": values[:200]})
    current_values = pl.Series("feedback", values[200:]).scatter(list(range(0, 200, 3)), None)
    current = pl.DataFrame({"feedback": current_values})
    (col,) = detect_drift(reference, current, DEFAULTS).columns
    assert col.missing_drift and col.drifted
    assert col.p_value is not None and col.p_value > 0.05  # the values themselves did not move
    assert col.reason.startswith("feedback: missing share 0.0% -> 33.5% (z-test p=")


def test_small_missing_change_below_the_floor_is_not_drift() -> None:
    rng = np.random.default_rng(5)
    values = rng.normal(0, 1, 2000)
    reference = pl.DataFrame({"x": values[:1000]})
    current = pl.DataFrame({"x": pl.Series("x", values[1000:]).scatter(list(range(30)), None)})
    (col,) = detect_drift(reference, current, DEFAULTS).columns
    assert not col.missing_drift
    assert col.missing_p_value is None  # 3% change is under missing_share_delta (5%)


def test_large_reference_uses_distances() -> None:
    rng = np.random.default_rng(6)
    reference = pl.DataFrame(
        {
            "x": rng.normal(0, 1, 1500),
            "c": rng.choice(["a", "b", "c"], 1500, p=[0.5, 0.3, 0.2]),
        }
    )
    current = pl.DataFrame(
        {
            "x": rng.normal(0.5, 1, 1500),
            "c": rng.choice(["a", "b", "c"], 1500, p=[0.2, 0.3, 0.5]),
        }
    )
    cols = by_column(detect_drift(reference, current, DEFAULTS))
    x, c = cols["x"], cols["c"]
    assert (x.test, x.drifted, x.p_value) == ("wasserstein", True, None)
    assert x.distance == pytest.approx(0.5, abs=0.1)
    assert x.reason.startswith("x: Wasserstein distance (reference std units) 0.")
    assert x.reason.endswith("(major)")
    assert (c.test, c.drifted) == ("jensen_shannon", True)


def test_small_sample_guard_says_insufficient_not_drift() -> None:
    rng = np.random.default_rng(7)
    reference = pl.DataFrame({"x": rng.normal(0, 1, 20)})
    current = pl.DataFrame({"x": rng.normal(50, 1, 200)})
    report = detect_drift(reference, current, DEFAULTS)
    (col,) = report.columns
    assert (col.verdict, col.drifted, col.test, col.p_value) == (
        "insufficient data",
        False,
        "none",
        None,
    )
    assert col.reason == (
        "x: insufficient data (20 reference / 200 current non-missing rows; need 30 each)"
    )
    assert (report.dataset_drift, report.drift_share) == (False, 0.0)


def test_dataset_drift_at_exactly_half_of_the_columns() -> None:
    rng = np.random.default_rng(8)
    base = {name: rng.normal(0, 1, 200) for name in ("a", "b", "c", "d")}
    reference = pl.DataFrame(base)
    current = pl.DataFrame({**base, "a": base["a"] + 3.0, "b": base["b"] + 3.0})
    report = detect_drift(reference, current, DEFAULTS)
    assert report.drifted_columns == ["a", "b"]
    assert report.drift_share == 0.5
    assert report.dataset_drift is True
    three = detect_drift(reference, current, DEFAULTS, columns=["a", "c", "d"])
    assert (three.drift_share, three.dataset_drift) == (pytest.approx(1 / 3), False)


def test_insufficient_columns_do_not_count_towards_the_share() -> None:
    rng = np.random.default_rng(9)
    reference = pl.DataFrame({"a": rng.normal(0, 1, 100), "b": [None] * 100}, strict=False)
    current = pl.DataFrame({"a": rng.normal(3, 1, 100), "b": [None] * 100}, strict=False)
    report = detect_drift(reference, current, DEFAULTS)
    assert report.evaluated == 1
    assert (report.drift_share, report.dataset_drift) == (1.0, True)


def test_holm_adjusts_across_columns() -> None:
    rng = np.random.default_rng(10)
    reference = pl.DataFrame({"a": rng.normal(0, 1, 200), "b": rng.normal(0, 1, 200)})
    current = pl.DataFrame({"a": rng.normal(0.4, 1, 200), "b": rng.normal(0, 1, 200)})
    cols = detect_drift(reference, current, DEFAULTS).columns
    raw = sorted(c.p_value for c in cols if c.p_value is not None)
    adjusted = sorted(c.p_value_adjusted for c in cols if c.p_value_adjusted is not None)
    assert adjusted == pytest.approx([raw[0] * 2, max(raw[0] * 2, raw[1])])


def test_no_correction_leaves_p_values_and_reason_plain() -> None:
    rng = np.random.default_rng(11)
    reference = pl.DataFrame({"a": rng.normal(0, 1, 100)})
    current = pl.DataFrame({"a": rng.normal(0, 1, 100)})
    plain = DriftSettings.model_validate({"correction": "none"})
    (col,) = detect_drift(reference, current, plain).columns
    assert col.p_value_adjusted == col.p_value
    assert "adjusted" not in col.reason and "KS p=" in col.reason


def test_kinds_are_inferred() -> None:
    rng = np.random.default_rng(12)
    frame = pl.DataFrame(
        {
            "flag": rng.random(60) < 0.5,
            "two": rng.choice(["x", "y"], 60),
            "level": rng.integers(1, 5, 60),  # 4 distinct numbers -> categories
            "text": rng.choice(["a", "b", "c"], 60),
            "value": rng.normal(0, 1, 60),
        }
    )
    kinds = {c.column: c.kind for c in detect_drift(frame, frame, DEFAULTS).columns}
    assert kinds == {
        "flag": "binary",
        "two": "binary",
        "level": "categorical",
        "text": "categorical",
        "value": "numeric",
    }


def test_given_kinds_override_inference_and_are_checked() -> None:
    frame = pl.DataFrame({"level": [1, 2, 3, 4] * 20})
    (col,) = detect_drift(frame, frame, DEFAULTS, kinds={"level": "numeric"}).columns
    assert (col.kind, col.test) == ("numeric", "ks")
    with pytest.raises(InputError, match="declared binary but has 4 distinct values"):
        detect_drift(frame, frame, DEFAULTS, kinds={"level": "binary"})
    with pytest.raises(InputError, match="unknown kind 'ordinal'"):
        detect_drift(frame, frame, DEFAULTS, kinds={"level": "ordinal"})


def test_missing_requested_columns_are_named() -> None:
    frame = pl.DataFrame({"a": [1.0] * 40})
    with pytest.raises(MissingColumnsError) as err:
        detect_drift(frame, frame.rename({"a": "b"}), DEFAULTS, columns=["a"])
    assert str(err.value) == "current data: missing columns: a (asked for by the drift columns)"
    assert err.value.exit_code == 2


def test_unsupported_column_type_is_an_input_error() -> None:
    frame = pl.DataFrame({"tags": [["a"], ["b"]] * 20})
    with pytest.raises(InputError, match="type List"):
        detect_drift(frame, frame, DEFAULTS)


def test_report_to_dict_is_json() -> None:
    frame = pl.DataFrame({"a": np.arange(50.0), "c": ["x", "y"] * 25})
    payload = json.loads(json.dumps(detect_drift(frame, frame, DEFAULTS).to_dict()))
    assert payload["dataset_drift"] is False
    assert [c["column"] for c in payload["columns"]] == ["a", "c"]
    assert set(payload["columns"][0]) >= {
        "column",
        "kind",
        "test",
        "statistic",
        "p_value",
        "p_value_adjusted",
        "distance",
        "psi",
        "drifted",
        "missing_drift",
        "reason",
    }


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=30, max_size=120),
    st.booleans(),
)
def test_a_sample_never_drifts_from_itself(values: list[float], with_labels: bool) -> None:
    frame = pl.DataFrame({"v": values})
    if with_labels:
        frame = frame.with_columns(k=pl.Series([str(int(v) % 3) for v in values]))
    report = detect_drift(frame, frame, DEFAULTS)
    assert not report.dataset_drift
    assert all(not c.drifted for c in report.columns)
