"""The NAB scorer in benchmarks/nab.py on a tiny labelled case: null scores 0, perfect 100."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

N = 400
WINDOWS = [["2026-01-01 10:00:00.000000", "2026-01-01 11:35:00.000000"],
           ["2026-01-01 20:00:00.000000", "2026-01-01 21:35:00.000000"]]  # fmt: skip


def labelled(nab: ModuleType):
    ts = np.datetime64("2026-01-01T00:00:00") + np.arange(N) * np.timedelta64(5, "m")
    return nab.Labelled.build("tiny.csv", ts, WINDOWS)


def test_layout_matches_nab_rules(nab: ModuleType):
    lab = labelled(nab)
    assert nab.probation_rows(N) == 60
    assert nab.probation_rows(10_000) == 750
    assert lab.n_windows == 2
    first = int(np.flatnonzero(lab.window_of == 0)[0])
    assert first == 120 and lab.unweighted[first] == pytest.approx(1.0)
    assert lab.unweighted[0] == -1.0  # before any window
    assert -1.0 < lab.unweighted[first + 21] < 0.0  # just after the window: a cheap FP


@pytest.mark.parametrize("profile", ["standard", "reward_low_FP_rate", "reward_low_FN_rate"])
def test_null_scores_zero_and_perfect_scores_one_hundred(nab: ModuleType, profile: str):
    lab = labelled(nab)
    weights = nab.PROFILES[profile]
    null = nab.corpus_score([lab], [np.zeros(N, dtype=bool)], weights)
    perfect = nab.corpus_score([lab], [lab.perfect_detections()], weights)
    assert null["normalised"] == 0.0
    assert perfect["normalised"] == 100.0


def test_late_detection_earns_less_and_false_positives_cost(nab: ModuleType):
    lab = labelled(nab)
    weights = nab.PROFILES["standard"]
    early, late, noisy = (np.zeros(N, dtype=bool) for _ in range(3))
    early[[120, 240]] = True
    late[[135, 255]] = True
    noisy[[120, 240, 80, 90]] = True
    score = {name: nab.corpus_score([lab], [d], weights)["normalised"]
             for name, d in {"early": early, "late": late, "noisy": noisy}.items()}  # fmt: skip
    assert score["early"] == 100.0
    assert 0.0 < score["late"] < score["early"]
    assert score["noisy"] == pytest.approx(100.0 - 100 * 2 * 0.11 / 4)


def test_only_the_first_detection_in_a_window_counts(nab: ModuleType):
    lab = labelled(nab)
    once, many = np.zeros(N, dtype=bool), np.zeros(N, dtype=bool)
    once[130] = True
    many[130:140] = True
    weights = nab.PROFILES["standard"]
    assert lab.score(once, weights)["raw"] == lab.score(many, weights)["raw"]
    assert lab.score(many, weights)["tp"] == 1 and lab.score(many, weights)["fp"] == 0
