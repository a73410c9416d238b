"""Scorecard metrics by hand, bootstrap intervals, and the Platt calibration map."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from vigil.errors import ModelError
from vigil.modelling import metrics as mm
from vigil.modelling.calibration import Platt, fit_platt
from vigil.modelling.intervals import blocks_of
from vigil.patches import scorecard as sc

ONE = [slice(0, 10)]


@settings(max_examples=60, deadline=None)
@given(
    y=st.lists(st.integers(0, 1), min_size=4, max_size=40),
    p=st.lists(st.integers(0, 5), min_size=40, max_size=40),
)
def test_auc_and_average_precision_match_scikit_learn(y: list[int], p: list[int]) -> None:
    ya, pa = np.array(y), np.array(p[: len(y)]) / 5.0  # coarse scores: many ties
    if 0 < ya.sum() < len(ya):
        assert mm.roc_auc(ya, pa) == pytest.approx(skm.roc_auc_score(ya, pa), abs=1e-12)
        assert mm.pr_auc(ya, pa) == pytest.approx(skm.average_precision_score(ya, pa), abs=1e-12)
    else:
        assert mm.roc_auc(ya, pa) is None and mm.pr_auc(ya, pa) is None


def test_catch_curve_by_hand() -> None:
    # two groups of 10; positives at the 1st and 4th riskiest of group 0, 2nd of group 1
    y = np.zeros(20, dtype=int)
    s = np.r_[np.linspace(1.0, 0.1, 10), np.linspace(1.0, 0.1, 10)]
    y[[0, 3, 11]] = 1
    blocks = blocks_of(np.repeat([0, 1], 10))
    assert blocks == [slice(0, 10), slice(10, 20)]
    # gate ceil(5% of 10) = 1 per group: catches release 0 only
    assert mm.catch(5)(y, s, blocks) == pytest.approx(1 / 3)
    assert mm.catch(20)(y, s, blocks) == pytest.approx(2 / 3)  # top 2 per group: 0 and 11
    assert mm.catch(50)(y, s, blocks) == 1.0
    assert mm.catch(5)(np.zeros(20, dtype=int), s, blocks) is None


def test_random_expectation_is_the_gated_share() -> None:
    y = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    out = sc.random_catch(y, ONE, n=200, seed=1)
    assert {k: v["value"] for k, v in out.items()} == {"5": 0.1, "10": 0.1, "20": 0.2, "50": 0.5}


def test_brier_ece_and_reliability_by_hand() -> None:
    y = np.array([0, 1, 1, 0])
    p = np.array([0.05, 0.05, 0.95, 0.65])
    assert mm.brier(y, p) == pytest.approx((0.05**2 + 0.95**2 + 0.05**2 + 0.65**2) / 4)
    # bins: [0, 0.1) holds 2 (mean 0.05, rate 0.5), [0.6, 0.7) 1, [0.9, 1] 1
    assert mm.ece(y, p) == pytest.approx((2 * 0.45 + 0.65 + 0.05) / 4)
    curve = mm.reliability(y, p)
    assert [(b["bin_low"], b["count"], b["observed_rate"]) for b in curve] == [
        (0.0, 2, 0.5),
        (0.6, 1, 0.0),
        (0.9, 1, 1.0),
    ]
    assert curve[0]["mean_predicted"] == pytest.approx(0.05)


def test_within_group_auc_ignores_pairs_across_groups() -> None:
    y = np.array([1, 0, 1, 0])
    s = np.array([0.9, 0.8, 0.2, 0.1])  # perfect within each group, not across
    blocks = blocks_of(np.array([0, 0, 1, 1]))
    assert mm.roc_auc_within(y, s, blocks) == 1.0
    assert mm.roc_auc(y, s) == 0.75


def test_evaluate_intervals_are_reproducible_and_bracket_the_value() -> None:
    rng = np.random.default_rng(3)
    y = (rng.random(60) < 0.3).astype(int)
    p = np.clip(0.3 * y + rng.random(60) * 0.7, 0, 1)
    groups = np.repeat([0, 1, 2], 20)
    first = sc.evaluate(y, {"m": p, "rule": -p}, {"m"}, groups, n_boot=200, seed=5)
    again = sc.evaluate(y, {"m": p, "rule": -p}, {"m"}, groups, n_boot=200, seed=5)
    assert json.dumps(first) == json.dumps(again)
    assert set(first["models"]["m"]) == {"roc_auc", "pr_auc", "brier", "ece"}
    assert set(first["models"]["rule"]) == {"roc_auc", "pr_auc"}
    assert set(first["catch_curve"]) == {"m", "rule", "random"}
    auc = first["models"]["m"]["roc_auc"]
    assert auc["ci90"][0] < auc["value"] < auc["ci90"][1]
    assert first["models"]["rule"]["roc_auc"]["value"] == pytest.approx(1 - auc["value"])
    none = sc.evaluate(y, {"m": p}, {"m"}, groups, n_boot=0, seed=5)
    assert none["models"]["m"]["roc_auc"]["ci90"] is None


def test_platt_recovers_a_known_map(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    raw = rng.normal(0, 3, 4000)
    y = (rng.random(4000) < 1 / (1 + np.exp(-(0.5 * raw - 1.0)))).astype(int)
    platt = fit_platt(raw, y)
    assert platt.a == pytest.approx(0.5, abs=0.05)
    assert platt.b == pytest.approx(-1.0, abs=0.12)
    assert platt.n == 4000 and platt.n_positive == int(y.sum())
    loaded = Platt.load(platt.save(tmp_path / "calibration.json"))
    assert loaded == platt
    assert loaded.apply(2.0) == pytest.approx(1 / (1 + np.exp(-(platt.a * 2 + platt.b))))


def test_platt_stays_finite_on_separable_data() -> None:
    platt = fit_platt(np.array([-3.0, -2.0, 2.0, 3.0]), np.array([0, 0, 1, 1]))
    # unsmoothed, the slope would run off to infinity; Platt's targets (3/4, 1/4) hold it
    assert 0.0 < platt.a < 1.0
    assert platt.apply(-3.0) == pytest.approx(1 - platt.apply(3.0))
    assert 0.5 < platt.apply(3.0) < 0.9


def test_platt_one_class_and_bad_file_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"calibration slice \(3 releases\) holds only one"):
        fit_platt(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 0]))
    bad = tmp_path / "calibration.json"
    bad.write_text("{}")
    with pytest.raises(ModelError, match="cannot read calibration"):
        Platt.load(bad)
