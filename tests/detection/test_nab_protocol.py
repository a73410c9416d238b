"""The leave-one-category-out protocol in benchmarks/nab_loco.py: the tuner never sees the fold
it is scored on, and the pooled score is the sum over held-out folds."""

from __future__ import annotations

import json
from types import ModuleType

import numpy as np
import pytest

N = 400
START = np.datetime64("2026-01-01T00:00:00")
WINDOW = [["2026-01-01 20:00:00.000000", "2026-01-01 21:35:00.000000"]]  # rows 240..259
CATEGORIES = ("alpha", "beta", "gamma")


def scored_file(nab: ModuleType, name: str, peak: float, noise: float) -> object:
    """One file with a single window: the score peaks at the window start, with noise before."""
    ts = START + np.arange(N) * np.timedelta64(5, "m")
    labelled = nab.Labelled.build(name, ts, WINDOW)
    score = np.zeros(N)
    score[100] = noise  # a false alarm when the threshold is at or below ``noise``
    score[240] = peak
    file = nab.NabFile(labelled, ts, np.zeros(N))
    variant = nab.Variant(10, 1000, 100)
    return nab.ScoredFile(file, {variant: {"only": score}})


def corpus(nab: ModuleType, peaks: dict[str, float] | None = None) -> list:
    peaks = peaks or {}
    return [
        scored_file(nab, f"{cat}/f{i}.csv", peaks.get(cat, 0.5), 0.25)
        for cat in CATEGORIES
        for i in range(2)
    ]


def space(nab: ModuleType):
    return nab.SearchSpace((nab.Variant(10, 1000, 100),), ("only",), (30,))


def test_the_tuner_never_receives_a_file_of_the_fold_it_is_scored_on(nab: ModuleType):
    seen: list[list[str]] = []

    def spy(files, search, profile):
        seen.append([f.name for f in files])
        return nab.tune(files, search, profile)

    files = corpus(nab)
    _, folds = nab.leave_one_category_out(files, space(nab), "standard", tuner=spy)
    assert [fold.category for fold in folds] == list(CATEGORIES)
    for fold, names in zip(folds, seen, strict=True):
        assert all(not name.startswith(f"{fold.category}/") for name in names)
        assert len(names) == 4  # every file of the other two categories
        assert fold.files == 2


def test_a_folds_choice_does_not_depend_on_its_own_files(nab: ModuleType):
    # gamma's windows peak at 0.27 only; tuning on it would pull the threshold down to 0.255.
    _, plain = nab.leave_one_category_out(corpus(nab), space(nab), "standard")
    _, odd = nab.leave_one_category_out(corpus(nab, {"gamma": 0.27}), space(nab), "standard")
    assert plain[2].choice == odd[2].choice
    assert odd[2].choice.threshold == pytest.approx(0.255)  # just above the 0.25 false alarm
    assert odd[2].normalised == pytest.approx(100.0)


def test_tuned_threshold_is_the_lowest_one_that_skips_the_false_alarm(nab: ModuleType):
    choice = nab.tune(corpus(nab), space(nab), "standard")
    assert choice.threshold == pytest.approx(0.255)
    assert choice.tuned_normalised == pytest.approx(100.0)


def test_pooled_score_sums_raw_null_and_perfect_over_the_held_out_folds(nab: ModuleType):
    # beta's windows peak at 0.2: the threshold tuned on alpha + gamma (0.255) misses them,
    # while alpha and gamma, tuned with beta, take a threshold low enough to pay a false alarm.
    files = corpus(nab, {"beta": 0.2})
    overall, folds = nab.leave_one_category_out(files, space(nab), "standard")
    assert [fold.choice.threshold for fold in folds] == pytest.approx([0.05, 0.255, 0.05])
    assert [fold.normalised for fold in folds] == pytest.approx([94.5, 0.0, 94.5])
    raw = sum(fold.raw for fold in folds)
    assert raw == pytest.approx(2 * (1.0 - 0.11) + 2 * -1.0 + 2 * (1.0 - 0.11))
    assert overall == pytest.approx(100.0 * (raw + 6) / (6 + 6))


def test_shipped_defaults_are_the_settings_tuned_on_all_files(nab: ModuleType):
    from vigil.detection.settings import SeriesSettings

    result = json.loads(nab.DEFAULT_OUT.read_text())
    chosen = result["tuned_on_all"]["standard"]["chosen_settings"]
    config, threshold = nab.defaults_config()
    assert threshold == chosen["threshold"]
    assert config.suppress_rows == chosen["suppress_rows"]
    assert sorted(config.components) == sorted(chosen["components"])
    p = SeriesSettings()
    assert (p.likelihood_short, p.likelihood_long, p.likelihood_warmup) == (
        chosen["likelihood_short"],
        chosen["likelihood_long"],
        chosen["likelihood_warmup"],
    )
    assert result["shipped_defaults"]["match_tuned_on_all_standard"] is True
