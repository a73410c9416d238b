"""The feature-series detector: kinds, direction, the combined signal, guards and suppression."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from vigil.detection.anomalies import detect_feature_anomalies
from vigil.detection.feature import COMBINED_KIND, evidence_score
from vigil.detection.series import episode_starts
from vigil.detection.settings import DetectionSettings

from .data import daily_frame, day

ONSET = 45


def latency(seed: int = 0, n: int = 70) -> np.ndarray:
    return 200 + np.random.default_rng(seed + 100).normal(0, 8, n)


def found(frame: pl.DataFrame, **settings: object) -> pl.DataFrame:
    return detect_feature_anomalies(frame, DetectionSettings.model_validate(settings))


def test_quiet_features_raise_few_anomalies():
    frame = pl.concat([daily_frame(f"f{i}", seed=i) for i in range(10)])
    # 10 features x 70 days x 6 metric series: a handful of chance episodes at most
    assert found(frame).height <= 5


@pytest.mark.parametrize(
    ("change", "kinds"),
    [
        ("shift", {"spike", "level_shift_up", "trend_up"}),
        ("spike", {"spike"}),
        ("trend", {"trend_up", "level_shift_up"}),
    ],
)
def test_latency_changes_are_found_near_onset(change: str, kinds: set[str]):
    x = latency()
    if change == "shift":
        x[ONSET:] += 60
    elif change == "spike":
        x[ONSET] += 150
    else:
        x[ONSET:] += np.arange(70 - ONSET) * 5.0
    rows = found(daily_frame("f", latency_p95_ms=x)).filter(pl.col("metric") == "latency_p95_ms")
    first = rows.sort("event_date").row(0, named=True)
    assert day(ONSET) <= first["event_date"] <= day(ONSET + 8)
    assert first["kind"] in kinds
    assert rows.filter(pl.col("event_date") < day(ONSET)).height == 0


def test_direction_matters_latency_drop_is_not_an_anomaly():
    x = latency()
    x[ONSET:] -= 60
    rows = found(daily_frame("f", latency_p95_ms=x)).filter(pl.col("metric") == "latency_p95_ms")
    assert rows.height == 0


def test_feedback_drop_is_an_anomaly():
    fb = 4.2 + np.random.default_rng(5).normal(0, 0.05, 70)
    fb[ONSET:] -= 0.5
    rows = found(daily_frame("f", feedback_mean=fb)).filter(pl.col("metric") == "feedback_mean")
    assert rows.height >= 1
    assert rows["event_date"].min() >= day(ONSET)


def test_a_fall_in_usage_is_called_a_drop_never_a_spike():
    usage = np.round(1000 + np.random.default_rng(8).normal(0, 30, 70))
    usage[ONSET] = 110
    rows = found(daily_frame("f", usage_count=usage)).filter(pl.col("metric") == "usage_count")
    assert rows.row(0, named=True)["event_date"] == day(ONSET)
    assert rows.row(0, named=True)["kind"] == "drop"
    assert rows.row(0, named=True)["value"] == 110.0
    assert set(rows["kind"]) <= {"drop", "level_shift_down", "trend_down"}


def test_combined_signal_fires_when_latency_rises_while_feedback_falls():
    lat, fb = latency(1), 4.2 + np.random.default_rng(6).normal(0, 0.05, 70)
    lat[ONSET:] += 14  # under 2 sigma: too little on its own
    fb[ONSET:] -= 0.1
    both = found(daily_frame("f", latency_p95_ms=lat, feedback_mean=fb))
    combined = both.filter(pl.col("kind") == COMBINED_KIND)
    assert combined.height >= 1
    assert combined["event_date"].min() >= day(ONSET)
    only_latency = found(daily_frame("f", latency_p95_ms=lat))
    assert only_latency.filter(pl.col("kind") == COMBINED_KIND).height == 0


def test_min_sample_guard_silences_the_first_days():
    x = latency()
    x[5] += 400
    rows = found(daily_frame("f", latency_p95_ms=x), min_samples=14)
    assert rows.filter(pl.col("event_date") < day(14)).height == 0


def test_a_lasting_shift_is_reported_once_not_every_day():
    x = latency()
    x[ONSET:] += 80
    rows = found(daily_frame("f", latency_p95_ms=x)).filter(pl.col("metric") == "latency_p95_ms")
    assert 1 <= rows.height <= 3  # one episode per kind at most, not 25 days of alerts


def test_episode_starts_keeps_rising_edges_at_least_gap_apart():
    score = np.array([0.1, 0.9, 0.95, 0.9, 0.1, 0.9, 0.1, 0.1, 0.1, 0.1, 0.9])
    out = episode_starts(score, threshold=0.8, gap=4)
    assert np.flatnonzero(out >= 0.8).tolist() == [1, 10]


def test_scores_are_in_the_unit_interval_and_missing_days_never_fire():
    x = latency()
    frame = daily_frame("f", latency_p95_ms=x).filter(pl.col("event_date") != day(50))
    rows = found(frame)
    assert rows["score"].is_between(0.0, 1.0).all()
    assert day(50) not in rows["event_date"].to_list()
    assert evidence_score(np.array([0.0, 1.0]))[1] == pytest.approx(0.8)


def test_empty_input_gives_an_empty_frame():
    assert found(daily_frame("f").head(0)).height == 0
