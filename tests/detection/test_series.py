"""The generic causal detector: causality, range, what it catches and what it leaves alone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from vigil.detection.components import discord_distances
from vigil.detection.series import episode_starts, infer_period, score_series
from vigil.detection.settings import SeriesSettings

from .data import minutes, noisy

N = 600
ONSET = 400


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=5, max_size=120),
    extra=st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=60),
)
def test_appending_points_never_changes_earlier_scores(values: list[float], extra: list[float]):
    p = SeriesSettings(min_samples=5, long_window=20, likelihood_long=30, discord_lookback=40)
    head = np.array(values)
    full = np.concatenate([head, extra])
    before = score_series(head, minutes(len(head)), p)
    after = score_series(full, minutes(len(full)), p)
    np.testing.assert_array_equal(before, after[: len(head)])


def test_prefix_scores_match_on_a_seasonal_series():
    t = np.arange(2000)
    x = 50 + 10 * np.sin(2 * np.pi * t / 288) + noisy(2000, seed=3, level=0.0)
    x[1500:] += 30
    full = score_series(x, minutes(2000))
    for cut in (100, 700, 1499, 1600):
        np.testing.assert_array_equal(score_series(x[:cut], minutes(cut)), full[:cut])


@settings(max_examples=20, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e9, 1e9), st.just(float("nan"))), max_size=200))
def test_scores_are_in_the_unit_interval(values: list[float]):
    scores = score_series(np.array(values, dtype=float), minutes(len(values)))
    assert scores.shape == (len(values),)
    assert np.all((scores >= 0.0) & (scores <= 1.0))


@pytest.mark.parametrize(
    "kind",
    ["level_shift", "spike", "trend"],
)
def test_injected_anomaly_is_detected_soon_after_onset(kind: str):
    x = noisy(N, seed=1)
    if kind == "level_shift":
        x[ONSET:] += 20
    elif kind == "spike":
        x[ONSET] += 40
    else:
        x[ONSET:] += np.arange(N - ONSET) * 0.5
    p = SeriesSettings(min_samples=150)  # a warm-up, like NAB's probation period
    scores = score_series(x, minutes(N), p)
    assert np.any(scores[ONSET : ONSET + 30] >= p.threshold)
    assert int((scores[:ONSET] >= p.threshold).sum()) <= 1  # noise alone: ~1 alarm per 1000 rows


def test_flat_noisy_series_stays_mostly_quiet():
    # The default threshold is tuned on NAB, where a missed window costs ~9 false alarms; on pure
    # Gaussian noise it raises about one alarm per 1000 rows.
    p = SeriesSettings()
    quiet = [score_series(noisy(2000, seed=s), minutes(2000), p) for s in range(5)]
    detections = sum(int((q >= p.threshold).sum()) for q in quiet)
    assert detections <= 20  # at most 2 per 1000 rows
    assert max(float(q.max()) for q in quiet) < 0.5


def test_min_sample_guard_keeps_the_first_rows_at_zero():
    x = noisy(200, seed=2)
    x[10] += 500  # a huge spike inside the guard
    scores = score_series(x, minutes(200), SeriesSettings(min_samples=50))
    assert np.all(scores[:50] == 0.0)
    short = score_series(x[:20], minutes(20), SeriesSettings(min_samples=50))
    assert np.all(short == 0.0)


def test_repeat_suppression_reports_a_lasting_anomaly_once_per_window():
    raw = np.zeros(100)
    raw[[10, 11, 12, 30, 31, 60]] = 0.9
    out = episode_starts(raw, threshold=0.5, gap=25)
    assert np.flatnonzero(out >= 0.5).tolist() == [10, 60]
    assert np.all(out <= raw)


def test_suppression_is_applied_by_score_series():
    x = noisy(N, seed=1)
    x[ONSET:] += 20
    p = SeriesSettings(suppress_rows=0)
    loose = score_series(x, minutes(N), p)
    tight = score_series(x, minutes(N), p.model_copy(update={"suppress_rows": 1000}))
    assert (tight >= p.threshold).sum() == 1
    assert (loose >= p.threshold).sum() > 1


def test_period_is_a_day_for_five_minute_data_and_a_week_for_daily_data():
    assert infer_period(minutes(100)) == 288
    days = np.datetime64("2026-01-01") + np.arange(100).astype("timedelta64[D]")
    assert infer_period(days) == 7
    assert infer_period(minutes(10)) is None
    assert infer_period(None) is None


def test_every_component_is_causal_on_a_long_seasonal_series_with_anomalies():
    t = np.arange(3000)
    x = 50 + 10 * np.sin(2 * np.pi * t / 288) + noisy(3000, seed=5, level=0.0)
    x[1200] += 40
    x[2000:2030] = x[1700:1730] * 1.5  # an odd shape
    ts = minutes(3000)
    full = score_series(x, ts)
    for cut in (400, 1201, 2010, 2999):
        np.testing.assert_array_equal(score_series(x[:cut], ts[:cut]), full[:cut])


def test_discord_alone_flags_a_shape_never_seen_within_the_range():
    t = np.arange(1500)
    x = np.sin(2 * np.pi * t / 50) + noisy(1500, seed=6, level=0.0, sd=0.02)
    x[1000:1025] = np.linspace(-1.0, 1.0, 25)  # a ramp where a sine was expected: no new range
    p = SeriesSettings(components=("discord",), min_samples=400)
    scores = score_series(x, minutes(1500), p)
    flagged = np.flatnonzero(scores >= p.threshold).tolist()
    assert flagged and 1000 <= flagged[0] < 1025
    assert all(r >= 1000 for r in flagged)


def test_season_does_not_echo_a_level_shift_one_period_later():
    t = np.arange(2400)
    x = 50 + 10 * np.sin(2 * np.pi * t / 288) + noisy(2400, seed=7, level=0.0, sd=0.5)
    x[1500:] += 15
    p = SeriesSettings(components=("season",), min_samples=1000)
    scores = score_series(x, minutes(2400), p)
    flagged = np.flatnonzero(scores >= p.threshold)
    assert np.any((flagged >= 1500) & (flagged < 1520))  # the shift itself
    assert not np.any(flagged >= 1500 + 200)  # nothing when the shift leaves the lagged season


def test_components_must_be_named_once_and_at_least_one():
    with pytest.raises(ValidationError, match="name at least one component"):
        SeriesSettings(components=())
    with pytest.raises(ValidationError, match="each component may be named once"):
        SeriesSettings(components=("level", "level"))
    with pytest.raises(ValidationError, match="discord length"):
        SeriesSettings(discord_lengths=(0,))


def brute_force_discord(x: np.ndarray, m: int, lookback: int) -> np.ndarray:
    """The left matrix profile by definition: nearest earlier, non-overlapping subsequence."""
    out = np.full(len(x), np.nan)
    for t in range(len(x)):
        dists = [
            np.sum((x[t - m + 1 : t + 1] - x[t - k - m + 1 : t - k + 1]) ** 2)
            for k in range(m, lookback + 1)
            if t - k - m + 1 >= 0
        ]
        if dists:
            out[t] = np.sqrt(min(dists) / m)
    return out


def test_discord_distance_is_the_left_matrix_profile_within_the_look_back():
    x = np.random.default_rng(8).normal(size=90)
    got = discord_distances(x, (3, 8), lookback=30)
    for m in (3, 8):
        np.testing.assert_allclose(got[m], brute_force_discord(x, m, 30), rtol=1e-9, equal_nan=True)
    assert np.isnan(got[8][: 2 * 8 - 1]).all() and not np.isnan(got[8][2 * 8 - 1])
